// The installer child of a run that was killed (SIGKILL cannot be caught, and the
// child outlives its parent) may still be writing into the environment. Each child
// we start is recorded in <workDir>/installer.pid; the next run stops such a
// leftover child and waits for it before it touches the environment (never two
// writers, never an rmdir under a running installer).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.js';
import type { Logger } from '../log.js';

interface Record {
  pid: number;
  /** /proc start time (clock ticks since boot), to tell a reused pid apart; '' where unknown */
  started: string;
}

export function childFile(workDir: string): string {
  return join(workDir, 'installer.pid');
}

/** Records a child we just started. */
export function recordChild(workDir: string, pid: number): void {
  writeFileAtomic(childFile(workDir), JSON.stringify({ pid, started: startTime(pid) } satisfies Record) + '\n');
}

export function forgetChild(workDir: string): void {
  rmSync(childFile(workDir), { force: true });
}

/**
 * Stops the installer left running by an interrupted run, if any: SIGTERM, then
 * SIGKILL after `graceMs`, and waits until it is gone. Returns true when there was one.
 */
export async function stopLeftoverChild(workDir: string, log: Logger, graceMs = 5000): Promise<boolean> {
  let rec: Record;
  try {
    rec = JSON.parse(readFileSync(childFile(workDir), 'utf8')) as Record;
  } catch {
    return false;
  }
  const alive = () => isAlive(rec.pid) && (rec.started === '' || startTime(rec.pid) === rec.started);
  if (alive()) {
    log.warn(`An installer process (pid ${rec.pid}) of an interrupted run is still running; stopping it before changing the environment.`);
    signal(rec.pid, 'SIGTERM');
    const deadline = Date.now() + graceMs;
    while (alive() && Date.now() < deadline) await sleep(50);
    if (alive()) signal(rec.pid, 'SIGKILL');
    while (alive()) await sleep(50);
  }
  forgetChild(workDir);
  return true;
}

// --- internal ---

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  // a zombie (exited, not yet reaped by its new parent) writes nothing any more
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

function startTime(pid: number): string {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // field 22 (starttime), counted after the parenthesised command name
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? '';
  } catch {
    return '';
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
