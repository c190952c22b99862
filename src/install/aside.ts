// Setting a part's previous installation aside instead of deleting it: its recorded paths
// are renamed into .buildout/aside/ (or beside themselves when they live on another file
// system), put back when the new installation fails, and deleted once the new one is
// recorded. Renames only: nothing is copied, so a large part costs no more than a small one.
import { lstatSync, mkdirSync, renameSync, rmdirSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep, isAbsolute } from 'node:path';
import type { Logger } from '../log.js';
import { asideDirectory, type AsideEntry } from '../state/journal.js';
import { isProtected } from './remove-paths.js';

/**
 * Where each existing recorded path of `part` would go. Left out: missing paths, paths
 * inside another listed one (they move with it), the buildout directory and its parents,
 * and paths `ownedElsewhere` (recorded by another part since: not this part's any more).
 */
export function planAside(part: string, files: readonly string[], directory: string, ownedElsewhere: (path: string) => boolean = () => false): AsideEntry[] {
  const root = join(asideDirectory(directory), `${process.pid}-${safeName(part)}`);
  const candidates = [...new Set(files.map((f) => resolve(directory, f)))].filter((f) => exists(f) && !isProtected(f, directory) && !ownedElsewhere(f));
  const outermost = candidates.filter((f) => !candidates.some((o) => o !== f && isInside(f, o)));
  if (outermost.length === 0) return [];
  rmSync(root, { recursive: true, force: true }); // a leftover of a crashed run that had our pid
  mkdirSync(root, { recursive: true });
  const device = statSync(root).dev;
  return outermost.map((from, i) => ({ from, to: sameDevice(from, device) ? join(root, String(i)) : `${from}.buildout-ts-aside` }));
}

/** Moves every planned path aside. Throws on the first failure (what was moved is still listed in `entries`). */
export function moveAside(entries: readonly AsideEntry[]): void {
  for (const e of entries) {
    if (!exists(e.from)) continue;
    rmSync(e.to, { recursive: true, force: true });
    renameSync(e.from, e.to);
  }
}

/**
 * Puts moved paths back (last moved first), replacing what a failed install left at their
 * place. `keep(path)` true: something else owns the place now; the old copy is dropped.
 * Returns the paths that could not be put back.
 */
export function restoreAside(entries: readonly AsideEntry[], log: Logger, keep: (path: string) => boolean = () => false): string[] {
  const failed: string[] = [];
  for (const e of [...entries].reverse()) {
    if (!exists(e.to)) continue;
    try {
      if (keep(e.from)) {
        rmSync(e.to, { recursive: true, force: true });
        failed.push(e.from);
        continue;
      }
      if (exists(e.from)) rmSync(e.from, { recursive: true, force: true });
      mkdirSync(dirname(e.from), { recursive: true });
      renameSync(e.to, e.from);
    } catch (err) {
      log.warn(`Could not put ${e.from} back from ${e.to}: ${(err as Error).message}`);
      failed.push(e.from);
    }
  }
  removeEmptyAsideRoots(entries);
  return failed;
}

/** Deletes the old copies once the part's new state is recorded. */
export function discardAside(entries: readonly AsideEntry[], log: Logger): void {
  for (const e of entries) {
    try {
      rmSync(e.to, { recursive: true, force: true });
    } catch (err) {
      log.warn(`Couldn't remove ${e.to}: ${(err as Error).message}`);
    }
  }
  removeEmptyAsideRoots(entries);
}

/** True when `path` is `root` or inside it. */
export function isInside(path: string, root: string): boolean {
  const rel = relative(root, path);
  return rel === '' || (rel !== '..' && !rel.startsWith('..' + sep) && !isAbsolute(rel));
}

// --- internal ---

function exists(p: string): boolean {
  try {
    lstatSync(p);
    return true;
  } catch {
    return false;
  }
}

function sameDevice(path: string, device: number | bigint): boolean {
  try {
    return statSync(dirname(path)).dev === device;
  } catch {
    return false;
  }
}

// The per-part folders under .buildout/aside, and .buildout/aside itself, once empty.
function removeEmptyAsideRoots(entries: readonly AsideEntry[]): void {
  const roots = new Set(entries.map((e) => dirname(e.to)).filter((d) => basename(dirname(d)) === 'aside' && basename(dirname(dirname(d))) === '.buildout'));
  for (const d of roots) {
    for (const dir of [d, dirname(d)]) {
      try {
        rmdirSync(dir);
      } catch {
        // not empty (another part's copies), or already gone
      }
    }
  }
}

function safeName(part: string): string {
  return part.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 60) || 'part';
}
