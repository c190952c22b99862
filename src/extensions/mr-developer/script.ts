// bin/develop: mr.developer's command for everyday work on the checkouts
// (`bin/develop status`, `checkout`, `update`, `activate`, …). Ours runs
// `buildout develop` with the same Node and buildout-ts that wrote it; run
// outside the buildout, it still finds its buildout through BUILDOUT_TS_DEVELOP_HOME.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';
import { writeFileAtomic } from '../../state/atomic-write.js';

/** The environment variable bin/develop sets to its buildout directory. */
export const DEVELOP_HOME_ENV = 'BUILDOUT_TS_DEVELOP_HOME';

/** Writes `<bin-directory>/develop` when its text changed; returns its path. */
export function writeDevelopScript(binDirectory: string, directory: string): string {
  const path = join(binDirectory, 'develop');
  const text = [
    '#!/bin/sh',
    "# mr.developer's develop command for this buildout, written by buildout-ts:",
    '# `bin/develop help` lists its commands.',
    `${DEVELOP_HOME_ENV}=${shQuote(directory)}`,
    `export ${DEVELOP_HOME_ENV}`,
    `exec ${shQuote(process.execPath)} ${shQuote(join(packageRoot(), 'bin', 'buildout'))} develop "$@"`,
    '',
  ].join('\n');
  let old: string | undefined;
  try {
    old = readFileSync(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old !== text) {
    mkdirSync(binDirectory, { recursive: true });
    writeFileAtomic(path, text, 0o755);
  }
  return path;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
