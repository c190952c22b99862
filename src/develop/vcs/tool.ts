// Runs a version-control program (git, hg, svn) with an argv array, never a
// shell string: the URLs, branches and paths come from the configuration. A
// program that is not installed gets a clear error naming the source that needs
// it; a failing command becomes a CheckoutError with the program's own message.
import { BuildoutError } from '../../errors.js';
import { findOnPath } from '../../config/which.js';
import type { RunResult } from '../../process/run.js';

const INSTALL_HINTS: Record<string, string> = {
  git: 'Install git (Debian: apt-get install git).',
  hg: 'Install Mercurial (Debian: apt-get install mercurial).',
  svn: 'Install Subversion (Debian: apt-get install subversion).',
};
const TOOL_NAMES: Record<string, string> = { git: 'git', hg: 'Mercurial (hg)', svn: 'Subversion (svn)' };

/** The program's path on PATH, or a BuildoutError naming the source that needs it. */
export function requireTool(program: string, source: string): string {
  const found = findOnPath(program, process.env.PATH);
  if (found) return found;
  throw new BuildoutError('ExecutableNotFound', `The source '${source}' needs ${TOOL_NAMES[program] ?? program}, which is not installed (no '${program}' on PATH).`, {
    hint: INSTALL_HINTS[program] ?? `Install ${program}.`,
  });
}

export interface ToolRun {
  program: string;
  /** the source the command works for (for messages) */
  source: string;
  cwd?: string;
  env?: Record<string, string | undefined>;
  input?: string;
}

/** Runs the program; a non-zero exit is returned, not thrown (callers decide). */
export async function runTool(t: ToolRun, args: readonly string[]): Promise<RunResult> {
  const file = requireTool(t.program, t.source);
  const { run } = await import('../../process/run.js');
  return run(file, args, { cwd: t.cwd, env: t.env, input: t.input, forceKillAfterMs: 2000 });
}

/** Runs the program and throws a CheckoutError saying `what` failed, with its stderr, on a non-zero exit. */
export async function runToolOk(t: ToolRun, args: readonly string[], what: string): Promise<RunResult> {
  const r = await runTool(t, args);
  if (r.exitCode !== 0) throw checkoutError(`${what}\n${(r.stderr || r.stdout).trim()}`);
  return r;
}

/** A failure of one source's checkout, update or status. */
export function checkoutError(message: string, hint?: string): BuildoutError {
  return new BuildoutError('CheckoutError', message.trimEnd(), { hint });
}
