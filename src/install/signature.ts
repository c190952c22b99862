// `__buildout_signature__` of a part: zc.buildout records the recipe's distributions
// there; we record our own version plus a fingerprint (size + mtime) of the files the
// part's output depends on (a template, a user recipe module), so that a changed
// template or a new buildout-ts reinstalls the part.
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { packageVersion } from '../package-root.js';

/** buildout-ts' version, from its package.json. */
export function buildoutTsVersion(): string {
  return packageVersion();
}

export function partSignature(files: readonly string[], version = buildoutTsVersion()): string {
  const base = `buildout-ts-${version}`;
  if (files.length === 0) return base;
  const hash = createHash('sha256');
  for (const f of [...new Set(files)].sort()) hash.update(`${f}\0${fingerprint(f)}\n`);
  return `${base} inputs-${hash.digest('hex').slice(0, 16)}`;
}

// --- internal ---

function fingerprint(file: string): string {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.size}:${st.mtimeNs}`;
  } catch {
    return 'missing';
  }
}
