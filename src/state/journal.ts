// The install journal, `.buildout/journal.json`: the parts whose previous installation is
// set aside while the run replaces or removes them (src/install/aside.ts). It is written
// before any file is moved and removed once every part's fate is recorded in
// .installed.cfg, so a run killed at any moment leaves enough for the next one to put
// things right (src/install/repair.ts). A run that changes nothing never touches it.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../errors.js';
import { writeFileAtomic } from './atomic-write.js';
import type { InstalledPart } from './installed.js';

const VERSION = 1;

/** One recorded path of a part, moved out of the way (absolute paths). */
export interface AsideEntry {
  from: string;
  to: string;
}

/** A part whose previous installation waits aside until its new one (or its removal) is recorded. */
export interface PartTransaction {
  part: string;
  /** `replace`: its options changed (or files went missing); `remove`: no longer in the configuration */
  kind: 'replace' | 'remove';
  /** what .installed.cfg recorded for the part when the transaction began */
  before: InstalledPart;
  /** planned before anything moves: an entry whose `to` exists was moved */
  moved: AsideEntry[];
}

export interface Journal {
  version: number;
  /** the run that wrote it (for messages) */
  pid: number;
  open: PartTransaction[];
}

export function journalFile(directory: string): string {
  return join(directory, '.buildout', 'journal.json');
}

/** Where the previous installations wait while a run replaces them. */
export function asideDirectory(directory: string): string {
  return join(directory, '.buildout', 'aside');
}

/** The one check a run makes when nothing is pending: a stat. */
export function hasJournal(directory: string): boolean {
  return existsSync(journalFile(directory));
}

export function readJournal(directory: string): Journal | undefined {
  const file = journalFile(directory);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  try {
    const j = JSON.parse(text) as Journal;
    if (j.version !== VERSION || !Array.isArray(j.open)) throw new Error(`unknown journal version ${String(j.version)}`);
    return j;
  } catch (e) {
    throw new BuildoutError('UserError', `The install journal ${file} cannot be read: ${(e as Error).message}`, {
      hint: `It lists the previous installations set aside in ${asideDirectory(directory)}; move back what you need from there, then remove the journal.`,
      cause: e,
    });
  }
}

/** Replaces the journal atomically; with nothing open, removes it. */
export function writeJournal(directory: string, open: readonly PartTransaction[]): void {
  const file = journalFile(directory);
  if (open.length === 0) {
    rmSync(file, { force: true });
    return;
  }
  const j: Journal = { version: VERSION, pid: process.pid, open: [...open] };
  writeFileAtomic(file, JSON.stringify(j, null, 1) + '\n');
}
