// Crash-safe file replacement: write a sibling temp file, fsync it, rename it over
// the target, fsync the directory. A reader sees the old or the new content, never
// a mix, whatever happens (Ctrl-C, SIGKILL, full disk, power loss).
import { closeSync, fchmodSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { BuildoutError } from '../errors.js';

const TMP_MARK = '.tmp-';

/**
 * Replaces `file` with `content` atomically, with exactly `mode` (not filtered by the
 * umask: 0600 for secrets stays 0600). Throws BuildoutError `WriteFailed` (old content intact).
 */
export function writeFileAtomic(file: string, content: string | Uint8Array, mode = 0o644): void {
  const tmp = `${file}${TMP_MARK}${process.pid}`;
  let fd: number | undefined;
  let created = false;
  try {
    fd = openSync(tmp, 'w', mode);
    created = true;
    fchmodSync(fd, mode);
    const data = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    let off = 0;
    while (off < data.length) off += writeSync(fd, data, off, data.length - off);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(tmp, file);
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    if (created) rmSync(tmp, { force: true });
    const err = e as NodeJS.ErrnoException;
    throw new BuildoutError('WriteFailed', `Could not write ${file}: ${err.code === 'ENOSPC' ? 'no space left on device' : err.message}`, {
      cause: e,
      hint: 'The previous content of the file is unchanged.',
    });
  }
  syncDirectory(dirname(file));
}

/** Removes temp files left by an interrupted `writeFileAtomic(file)` (call while holding the buildout lock). */
export function removeStaleTemps(file: string): string[] {
  const dir = dirname(file);
  const prefix = basename(file) + TMP_MARK;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const stale = names.filter((n) => n.startsWith(prefix) && /^\d+$/.test(n.slice(prefix.length)));
  for (const n of stale) rmSync(join(dir, n), { force: true });
  return stale.map((n) => join(dir, n));
}

// --- internal ---

// Makes the rename itself durable; some file systems refuse fsync on a directory, which is fine.
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // not supported here
  } finally {
    if (fd !== undefined) closeQuietly(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}
