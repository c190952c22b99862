// The start of a run after one that was killed while a part's previous installation was
// set aside (swap.ts): .installed.cfg decides. A part still recorded as it was before gets
// its old files back (the new installation never finished); a part recorded anew (or no
// longer recorded, for a removal) had finished, and only its old copy is deleted. Either
// way .installed.cfg and the files agree again before the run plans anything.
import type { Logger } from '../log.js';
import { readInstalled, type InstalledPart, type InstalledState } from '../state/installed.js';
import { readJournal, writeJournal } from '../state/journal.js';
import { discardAside, restoreAside } from './aside.js';

export interface RepairReport {
  restored: string[];
  finished: string[];
}

/** Call under the buildout lock, before .installed.cfg is read for planning. */
export function repairInterruptedRun(directory: string, installedFile: string, log: Logger): RepairReport {
  const report: RepairReport = { restored: [], finished: [] };
  const journal = readJournal(directory);
  if (!journal) return report;
  const state = installedFile ? readInstalled(installedFile, directory) : undefined;
  for (const tx of [...journal.open].reverse()) {
    const now = state?.parts.get(tx.part);
    // without .installed.cfg (`installed =`) nothing is recorded: the old files come back
    const finished = state !== undefined && !(now && sameRecord(now, tx.before));
    if (finished) {
      discardAside(tx.moved, log);
      report.finished.push(tx.part);
      log.info(`Finished ${tx.kind === 'remove' ? 'removing' : 'replacing'} part ${tx.part}, left unfinished by an interrupted run (process ${journal.pid}).`);
    } else {
      const lost = restoreAside(tx.moved, log, state ? ownedByOthers(state, tx.part) : undefined);
      report.restored.push(tx.part);
      log.warn(`Restored the previous installation of part ${tx.part}, set aside by an interrupted run (process ${journal.pid}).${lost.length ? ` Not restored: ${lost.join(', ')}.` : ''}`);
    }
  }
  writeJournal(directory, []);
  return report;
}

/** A predicate: is `path` recorded by a part other than `part` (e.g. a script that moved to another part)? */
export function ownedByOthers(state: Pick<InstalledState, 'parts'>, part: string): (path: string) => boolean {
  const owned = new Set<string>();
  for (const [name, p] of state.parts) if (name !== part) for (const f of p.files) owned.add(f);
  return (path) => owned.has(path);
}

// --- internal ---

function sameRecord(a: InstalledPart, b: InstalledPart): boolean {
  const ka = Object.keys(a.options).sort();
  const kb = Object.keys(b.options).sort();
  if (ka.join('\0') !== kb.join('\0') || ka.some((k) => a.options[k] !== b.options[k])) return false;
  return a.files.length === b.files.length && a.files.every((f, i) => f === b.files[i]);
}
