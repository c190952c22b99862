// Materialisation is synchronous (zc.buildout's lazy sections), but a recipe's constructor
// may need asynchronous work first: a hook module to import, a Python recipe constructed in
// another process. The recipe throws PendingWork; the engine unwinds the sections in
// progress (they are materialised again from scratch) and `settle` does the work and retries.

/** Thrown by a recipe seam when a part cannot be initialised before `work` is done. */
export class PendingWork extends Error {
  override readonly name = 'PendingWork';
  constructor(
    /** the part waiting for the work */
    readonly part: string,
    readonly work: () => Promise<void>,
  ) {
    super(`Initializing ${part} needs asynchronous work first`);
  }
}

export function isPendingWork(e: unknown): e is PendingWork {
  return e instanceof Error && (e as { name?: string }).name === 'PendingWork';
}

/**
 * Runs `fn` (something that materialises sections) until it completes, doing the work of
 * each PendingWork it throws first. A part that stays pending after its work ran is a bug in
 * the seam: the loop stops there rather than spinning.
 */
export async function settle<T>(fn: () => T): Promise<T> {
  const done = new Map<string, number>();
  for (;;) {
    try {
      return fn();
    } catch (e) {
      if (!isPendingWork(e)) throw e;
      const n = done.get(e.part) ?? 0;
      if (n >= 3) throw new Error(`The recipe of part ${e.part} stays pending after its work ran ${n} times`);
      done.set(e.part, n + 1);
      await e.work();
    }
  }
}
