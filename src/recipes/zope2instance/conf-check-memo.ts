// Remembers, per part, what the last successful build-time check of zope.conf and wsgi.ini
// saw, so that a reinstall whose files differ only in the listening addresses skips the
// Python run (~0.5 s): our own validation of http-address (host syntax, port 1–65535) is all
// that changes there, and loading the files never binds. Everything else is checked again.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { writeFileAtomic } from '../../state/atomic-write.js';
import type { ConfCheckInput } from './conf-check.js';

export interface Memo {
  file: string;
  part: string;
  key: string;
}

/** The memo of this check, or undefined when the environment has no state key to tie it to. */
export function confCheckMemo(input: ConfCheckInput): Memo | undefined {
  if (!input.env.stateKey) return undefined;
  const addresses = (input.options['http-address'] ?? '').split(/\s+/).filter(Boolean).sort((a, b) => b.length - a.length);
  const masked = (path: string | undefined): string => {
    if (!path) return '';
    let text = readFileSync(path, 'utf8');
    for (const a of addresses) text = text.split(a).join('<http-address>');
    return text;
  };
  const h = createHash('sha256');
  for (const part of [
    input.env.stateKey,
    readFileSync(join(packageRoot(), 'python', 'buildout_ts_wsgi', 'confcheck.py'), 'utf8'),
    input.cwd,
    input.extraPaths.join('\n'),
    (input.zcmlPackages ?? []).join('\n'),
    masked(input.zopeConf?.path),
    masked(input.wsgiIni?.path),
  ]) h.update(part).update('\0');
  return { file: join(input.cwd, '.buildout', 'conf-checked.json'), part: input.part, key: h.digest('hex') };
}

export function alreadyChecked(memo: Memo): boolean {
  return readMemos(memo.file)[memo.part] === memo.key;
}

export function rememberChecked(memo: Memo): void {
  writeFileAtomic(memo.file, JSON.stringify({ ...readMemos(memo.file), [memo.part]: memo.key }, null, 1));
}

function readMemos(file: string): Record<string, string> {
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return data && typeof data === 'object' ? (data as Record<string, string>) : {};
  } catch {
    return {};
  }
}
