// Removing what a part created (on uninstall, and to roll back a failed install),
// with a guard against deleting something that can only be a mistake.
import { lstatSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, relative, resolve, sep, isAbsolute } from 'node:path';
import type { Logger } from '../log.js';

/** Removes files and directories (recursively), last created first. Missing ones are fine. */
export function removePaths(paths: readonly string[], directory: string, log: Logger): void {
  for (const p of [...paths].reverse()) {
    const abs = resolve(directory, p);
    if (isProtected(abs, directory)) {
      log.warn(`Not removing ${abs}: it is the buildout directory, one of its parents or the home directory.`);
      continue;
    }
    try {
      lstatSync(abs);
    } catch {
      continue;
    }
    try {
      rmSync(abs, { recursive: true, force: true });
    } catch (e) {
      log.warn(`Couldn't remove ${abs}: ${(e as Error).message}`);
    }
  }
}

// A recorded path may be anywhere (recipes write outside the buildout too), but never
// `/`, the buildout directory or a directory containing it, or the home directory.
export function isProtected(abs: string, directory: string): boolean {
  if (abs === dirname(abs)) return true;
  if (abs === resolve(homedir())) return true;
  const rel = relative(abs, resolve(directory));
  return rel === '' || (!rel.startsWith('..' + sep) && rel !== '..' && !isAbsolute(rel));
}
