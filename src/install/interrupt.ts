// Ctrl-C and SIGTERM during an install: the step that is running is abandoned (its
// created paths are rolled back by the caller), the state of the parts already done
// is on disk (written after each part), and the run exits with 130/143. A second
// signal exits at once; .installed.cfg is consistent at any moment anyway.
import { ExitError } from '../errors.js';

const CODES: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export class Interrupted extends Error {
  override readonly name = 'Interrupted';
  constructor(readonly signal: NodeJS.Signals) {
    super(`Interrupted by ${signal}`);
  }
  get exitCode(): number {
    return CODES[this.signal] ?? 1;
  }
}

export class InterruptGuard {
  private signal: NodeJS.Signals | undefined;
  private reject: ((e: Interrupted) => void) | undefined;
  private readonly interrupted: Promise<never>;
  private readonly handlers = new Map<NodeJS.Signals, () => void>();

  constructor() {
    this.interrupted = new Promise<never>((_, reject) => (this.reject = reject));
    this.interrupted.catch(() => {}); // observed through race()
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      const h = () => this.onSignal(sig);
      this.handlers.set(sig, h);
      process.on(sig, h);
    }
  }

  /** Resolves like `p`, or rejects with Interrupted as soon as a signal arrives. */
  race<T>(p: Promise<T>): Promise<T> {
    this.check();
    return Promise.race([p, this.interrupted]);
  }

  /** Throws Interrupted when a signal has arrived (call between steps). */
  check(): void {
    if (this.signal) throw new Interrupted(this.signal);
  }

  dispose(): void {
    for (const [sig, h] of this.handlers) process.removeListener(sig, h);
    this.handlers.clear();
  }

  private onSignal(sig: NodeJS.Signals): void {
    if (this.signal) process.exit(CODES[this.signal] ?? 1);
    this.signal = sig;
    this.reject?.(new Interrupted(sig));
  }
}

/**
 * The exit for an interrupted run. The abandoned step may still hold the event loop
 * (a child process, a timer), so the process is made to exit shortly after the
 * message is printed (an unref'd timer only fires if something else keeps it alive).
 */
export function interruptedExit(e: Interrupted, doing: string): ExitError {
  setTimeout(() => process.exit(e.exitCode), 500).unref();
  return new ExitError(
    e.exitCode,
    `Interrupted by ${e.signal} while ${doing}. The parts finished before are recorded in .installed.cfg; run buildout again to complete the installation.`,
  );
}
