// `buildout [install [PART...]] [--json]`: the parts lifecycle (src/install).
// --json prints one summary object on stdout (errors: main.ts prints {"error": ...}).
// --plan prints the plan on stderr first and, on a terminal, asks before going on
// (-y/--yes: never asks; no terminal, e.g. CI: goes on without asking).
import type { CommandContext } from '../context.js';
import { lockTimeoutMs } from '../../state/lock.js';
import { isInteractiveTerminal } from '../../install/progress.js';
import { runInstall } from '../../install/run-install.js';

export async function run(ctx: CommandContext): Promise<number> {
  const json = ctx.flags.json === true;
  const parts = ctx.args;
  const summary = await runInstall({
    load: ctx.load,
    parts,
    log: ctx.log,
    tty: !json && isInteractiveTerminal(),
    interactive: Boolean(process.stdin.isTTY) && isInteractiveTerminal(),
    lockTimeoutMs: lockTimeoutMs(),
    ...(ctx.flags.plan ? { plan: { yes: ctx.flags.yes === true } } : {}),
  });
  if (json) ctx.out(JSON.stringify(summary) + '\n');
  return 0;
}
