// The parts of one run whose previous installation waits aside (aside.ts) until their new
// state is recorded: a replaced part until its recipe succeeded, a removed part until every
// part of the run succeeded. The journal (src/state/journal.ts) is written before anything
// moves, so the next run can finish or undo what a killed run left (repair.ts).
import type { Logger } from '../log.js';
import type { InstalledPart } from '../state/installed.js';
import { writeJournal, type PartTransaction } from '../state/journal.js';
import { discardAside, moveAside, planAside, restoreAside } from './aside.js';
import { pauseAt } from './test-pause.js';

export class PartSwaps {
  private readonly open: PartTransaction[] = [];

  constructor(
    private readonly directory: string,
    private readonly log: Logger,
  ) {}

  /**
   * Moves the recorded paths of `part` aside (the journal first). `ownedElsewhere`: paths
   * another part records now, which stay where they are. On failure, puts back what moved.
   */
  begin(part: string, kind: PartTransaction['kind'], before: InstalledPart, ownedElsewhere?: (path: string) => boolean): PartTransaction {
    const tx: PartTransaction = { part, kind, before: { options: { ...before.options }, files: [...before.files] }, moved: planAside(part, before.files, this.directory, ownedElsewhere) };
    this.open.push(tx);
    writeJournal(this.directory, this.open);
    try {
      moveAside(tx.moved);
    } catch (e) {
      this.rollback(tx);
      throw e;
    }
    pauseAt(`aside:${part}`);
    return tx;
  }

  /** The part's new state is recorded: the old copy goes. */
  commit(tx: PartTransaction): void {
    pauseAt(`recorded:${tx.part}`);
    discardAside(tx.moved, this.log);
    this.close(tx);
  }

  /** The new installation failed: the old one comes back. `keep(path)`: a place another part has taken since. */
  rollback(tx: PartTransaction, keep?: (path: string) => boolean): string[] {
    const lost = restoreAside(tx.moved, this.log, keep);
    this.close(tx);
    return lost;
  }

  /** Transactions still open, oldest first. */
  pending(kind?: PartTransaction['kind']): PartTransaction[] {
    return this.open.filter((t) => !kind || t.kind === kind);
  }

  // --- internal ---

  private close(tx: PartTransaction): void {
    const i = this.open.indexOf(tx);
    if (i >= 0) this.open.splice(i, 1);
    writeJournal(this.directory, this.open);
  }
}
