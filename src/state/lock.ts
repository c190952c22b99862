// One buildout run at a time per buildout directory: `.buildout/lock`, created with
// O_EXCL and holding the owner's pid. A lock whose process is gone (crash, SIGKILL)
// is taken over with a warning; a live one is waited for, then reported by pid.
import { closeSync, existsSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { Logger } from '../log.js';

export interface LockOptions {
  /** how long to wait for another run, in milliseconds */
  timeoutMs: number;
  log: Logger;
  /** between two attempts; default 100 ms */
  pollMs?: number;
  /** called once when we start waiting (e.g. to stop a spinner) */
  onWait?: (holder: LockHolder) => void;
}

export interface LockHolder {
  pid: number;
  host: string;
}

export interface Lock {
  file: string;
  release(): void;
}

export function lockFile(directory: string): string {
  return join(directory, '.buildout', 'lock');
}

/** Takes the lock of a buildout directory, waiting up to `timeoutMs` for another run to finish. */
export async function acquireLock(directory: string, opts: LockOptions): Promise<Lock> {
  const file = lockFile(directory);
  try {
    mkdirSync(join(directory, '.buildout'), { recursive: true });
  } catch (e) {
    throw cannotLock(file, realCause(e, join(directory, '.buildout')));
  }
  const deadline = Date.now() + opts.timeoutMs;
  let told = false;
  for (;;) {
    if (tryCreate(file)) return makeLock(file);
    const holder = readHolder(file);
    if (!holder) {
      // Released between our attempts (retry at once), being written right now (wait a
      // moment), or left empty by a crash between create and write (take it over).
      const age = ageMs(file);
      if (age > 2000) {
        rmSync(file, { force: true });
        opts.log.warn(`Removed an unreadable lock file (${file}).`);
      } else if (age >= 0) await sleep(opts.pollMs ?? 100);
      continue;
    }
    if (holder.pid === process.pid && holder.host === hostname()) throw new BuildoutError('Locked', `This process already holds ${file}.`);
    if (isDead(holder)) {
      if (takeOverStale(file, holder)) opts.log.warn(`Removed a stale lock of process ${holder.pid}, which is not running any more (${file}).`);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new BuildoutError('Locked', `Another buildout run (process ${holder.pid}${holder.host !== hostname() ? ` on ${holder.host}` : ''}) is working in ${directory}.`, {
        hint: `Wait for it to finish and try again. If process ${holder.pid} is not a buildout run, remove ${file}. BUILDOUT_TS_LOCK_TIMEOUT sets how many seconds to wait.`,
      });
    }
    if (!told) {
      told = true;
      opts.onWait?.(holder);
      opts.log.info(`Waiting for another buildout run (process ${holder.pid}) to finish in ${directory}...`);
    }
    await sleep(Math.min(opts.pollMs ?? 100, Math.max(1, deadline - Date.now())));
  }
}

/** Seconds to wait for the lock, from BUILDOUT_TS_LOCK_TIMEOUT (default 120). */
export function lockTimeoutMs(env: Record<string, string | undefined> = process.env): number {
  const raw = env.BUILDOUT_TS_LOCK_TIMEOUT;
  const secs = raw === undefined || raw.trim() === '' ? 120 : Number(raw);
  if (!Number.isFinite(secs) || secs < 0) throw new BuildoutError('InvalidEnvironment', `BUILDOUT_TS_LOCK_TIMEOUT must be a number of seconds, got ${JSON.stringify(raw)}.`);
  return secs * 1000;
}

// --- internal ---

function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotLock(file, e);
  }
  try {
    writeSync(fd, `${process.pid}\n${hostname()}\n${new Date().toISOString()}\n`);
  } finally {
    closeSync(fd);
  }
  return true;
}

function makeLock(file: string): Lock {
  let released = false;
  // A forced exit (second Ctrl-C, process.exit) still releases the lock.
  const onExit = () => release();
  function release() {
    if (released) return;
    released = true;
    process.removeListener('exit', onExit);
    const holder = readHolder(file);
    if (holder && holder.pid === process.pid && holder.host === hostname()) rmSync(file, { force: true });
  }
  process.on('exit', onExit);
  return { file, release };
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pidLine, host = ''] = text.split('\n');
  const pid = Number(pidLine);
  // An empty file is a lock being created right now: treat it as held by nobody yet.
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, host: host.trim() };
}

function isDead(holder: LockHolder): boolean {
  // On another host (shared file system) we cannot tell: assume it is alive.
  if (holder.host && holder.host !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

// Renames the stale lock away (atomic) before deleting it, so that two runs taking over
// at once cannot delete a fresh lock; if the renamed file turns out to be someone's fresh
// lock, it is put back (link fails rather than overwrite).
function takeOverStale(file: string, stale: LockHolder): boolean {
  const aside = `${file}.stale-${process.pid}`;
  try {
    renameSync(file, aside);
  } catch {
    return false;
  }
  const moved = readHolder(aside);
  if (moved && moved.pid !== stale.pid) {
    try {
      linkSync(aside, file);
    } catch {
      // someone holds a newer lock already
    }
    rmSync(aside, { force: true });
    return false;
  }
  rmSync(aside, { force: true });
  return true;
}

function cannotLock(file: string, e: unknown): BuildoutError {
  const err = e as NodeJS.ErrnoException;
  const directory = dirname(dirname(file));
  const why =
    err.code === 'EROFS'
      ? `the buildout directory ${directory} is on a read-only file system`
      : err.code === 'EACCES' || err.code === 'EPERM'
        ? `the buildout directory ${directory} is not writable by this user`
        : err.code === 'ENOSPC'
          ? 'no space left on device'
          : err.message;
  return new BuildoutError('LockFailed', `Cannot create the lock file ${file}: ${why}.`, {
    cause: e,
    hint:
      err.code === 'EROFS'
        ? 'buildout writes .buildout/, bin/, parts/ and .installed.cfg into the buildout directory: run it where the file system is writable (annotate, query and check only read).'
        : 'Run buildout as a user who may write to the buildout directory (annotate, query and check only read).',
  });
}

// Node's recursive mkdir reports ENOENT instead of EROFS/EACCES when the parent
// exists but cannot be written; a plain mkdir tells the real reason.
function realCause(e: unknown, dir: string): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(dirname(dir))) return e;
  try {
    mkdirSync(dir);
    return e;
  } catch (again) {
    return again;
  }
}

// Age of a file in ms, or -1 when it does not exist.
function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
