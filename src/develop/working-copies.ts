// mr.developer's WorkingCopies: checks out or updates several sources, a few
// at a time (`threads`, default 5), each source's messages printed together when
// it is done. A dirty working copy that would be updated is never touched without
// force: mr.developer asks; we skip it with a warning (no prompt blocks a CI run).
// Failures are collected and reported together, after the others finished.
import { existsSync } from 'node:fs';
import { BuildoutError, isBuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { isLink, shouldUpdate } from './vcs/common.js';
import { workingCopy } from './vcs/index.js';
import type { ActionOptions, Source, WorkingCopy } from './types.js';

export interface RunOptions {
  threads: number;
  log: Logger;
  /** where -v output of the tools goes */
  out?: (text: string) => void;
  /** the sources section, so that a failure points at the source's line */
  section?: string;
}

/** Checks out the named sources (existing ones are kept, or updated when asked). */
export async function checkoutSources(sources: ReadonlyMap<string, Source>, names: readonly string[], opts: ActionOptions, run: RunOptions): Promise<void> {
  const queue: { wc: WorkingCopy; opts: ActionOptions }[] = [];
  for (const name of names) {
    const wc = atSourceSync(() => workingCopy(known(sources, name, 'Checkout')), run.section, name);
    const path = wc.source.path;
    if (existsSync(path)) {
      if (isLink(path)) {
        run.log.info(`Skipped update of linked '${name}'.`);
        continue;
      }
      if (shouldUpdate(wc.source, opts) && !opts.force && (await wc.status()).status !== 'clean') {
        run.log.warn(`The package '${name}' is dirty: skipped its update, your changes are kept.`);
        run.log.info(`Skipped update of '${name}'.`);
        continue;
      }
    }
    run.log.debug(`Queued '${name}' for checkout.`);
    queue.push({ wc, opts });
  }
  await runQueue(queue, (q, log) => q.wc.checkout(q.opts, log), run);
}

/** Updates the named checked-out sources; a dirty one is skipped with a warning unless forced. */
export async function updateSources(sources: ReadonlyMap<string, Source>, names: readonly string[], opts: ActionOptions, run: RunOptions): Promise<void> {
  const queue: { wc: WorkingCopy; opts: ActionOptions }[] = [];
  for (const name of names) {
    if (!sources.has(name)) continue;
    const wc = atSourceSync(() => workingCopy(sources.get(name)!), run.section, name);
    if (!opts.force && (await wc.status()).status !== 'clean') {
      run.log.warn(`The package '${name}' is dirty: skipped its update, your changes are kept (update -f forces it).`);
      continue;
    }
    run.log.debug(`Queued '${name}' for update.`);
    queue.push({ wc, opts });
  }
  await runQueue(queue, (q, log) => q.wc.update(q.opts, log), run);
}

/** The source of a name, or mr.developer's error for a name without one. */
export function known(sources: ReadonlyMap<string, Source>, name: string, what: string): Source {
  const s = sources.get(name);
  if (!s) throw new BuildoutError('CheckoutError', `${what} failed. No source defined for '${name}'.`);
  return s;
}

// --- internal ---

// A failure of one source points at its line of the sources section (the CLI adds file:line).
function atSource(e: BuildoutError, section: string | undefined, name: string): BuildoutError {
  if (e.section || !section) return e;
  return new BuildoutError(e.code, e.message, { hint: e.hint, section, option: e.option ?? name, doing: e.doing, cause: e.cause, loc: e.loc });
}

function atSourceSync<T>(fn: () => T, section: string | undefined, name: string): T {
  try {
    return fn();
  } catch (e) {
    throw isBuildoutError(e) ? atSource(e, section, name) : e;
  }
}

// Runs the actions `threads` at a time; each one's messages are printed together, in
// the order of the queue (sorted names), whatever order they finish in.
async function runQueue<T extends { wc: WorkingCopy; opts: ActionOptions }>(queue: T[], action: (item: T, log: Logger) => Promise<string>, run: RunOptions): Promise<void> {
  const failures: BuildoutError[] = [];
  const done: (undefined | (() => void))[] = [];
  let printed = 0;
  const print = () => {
    while (done[printed]) done[printed++]!();
  };
  const write = run.out ?? ((t: string) => process.stdout.write(t));
  let next = 0;
  const worker = async () => {
    while (next < queue.length && failures.length === 0) {
      const i = next++;
      const item = queue[i]!;
      const { log, flush } = buffered(run.log);
      try {
        const output = await action(item, log);
        done[i] = () => {
          flush();
          if (item.opts.verbose && output.trim()) write(output.trimEnd() + '\n');
        };
      } catch (e) {
        if (!isBuildoutError(e)) throw e;
        failures.push(atSource(e, run.section, item.wc.source.name));
        done[i] = flush;
      }
      print();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(run.threads, queue.length)) }, worker));
  // after a failure the remaining items were not started: print what the others said
  for (let i = printed; i < done.length; i++) done[i]?.();
  if (failures.length === 1) throw failures[0]!;
  if (failures.length > 1) {
    const first = failures[0]!;
    throw new BuildoutError('CheckoutError', `There have been errors:\n${failures.map((f) => `- ${f.message}`).join('\n')}`, { hint: failures.find((f) => f.hint)?.hint, section: first.section, option: first.option });
  }
}

function buffered(target: Logger): { log: Logger; flush: () => void } {
  const lines: [keyof Omit<Logger, 'level'>, string][] = [];
  const log: Logger = {
    level: target.level,
    debug: (m) => void lines.push(['debug', m]),
    info: (m) => void lines.push(['info', m]),
    warn: (m) => void lines.push(['warn', m]),
    error: (m) => void lines.push(['error', m]),
  };
  return { log, flush: () => lines.splice(0).forEach(([level, m]) => target[level](m)) };
}
