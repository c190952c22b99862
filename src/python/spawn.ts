// Every Python process src/python starts goes through here, so that the
// no-op path can be checked to start none (tests read `pythonSpawnCount`).
import type { RunOptions, RunResult } from '../process/run.js';

let spawned = 0;

/** How many Python processes this module has started in this Node process. */
export function pythonSpawnCount(): number {
  return spawned;
}

/** Runs a Python interpreter (argv array, never a shell) and returns its result. */
export async function runPython(python: string, args: readonly string[], opts: RunOptions = {}): Promise<RunResult> {
  spawned++;
  // run.ts imports execa lazily: importing it here only when a process really starts
  const { run } = await import('../process/run.js');
  return run(python, args, { ...opts, env: { PIP_DISABLE_PIP_VERSION_CHECK: '1', PIP_NO_INPUT: '1', ...opts.env } });
}

/** Starts a long-lived Python process (our recipe host), counted like the others. */
export async function startPython(python: string, args: readonly string[], opts: import('../process/run.js').StartOptions = {}): Promise<import('../process/run.js').StartedProcess> {
  spawned++;
  const { startProcess } = await import('../process/run.js');
  return startProcess(python, args, opts);
}
