// `buildout plan [PART...] [--json]`: what `install` would do, changing nothing
// (src/install/plan/). The text goes to stdout; --json prints the report object.
import type { CommandContext } from '../context.js';
import { computePlan } from '../../install/plan/compute.js';
import { formatPlan } from '../../install/plan/format.js';

export async function run(ctx: CommandContext): Promise<number> {
  const report = await computePlan(ctx.load, ctx.args, { log: ctx.log, resolveDistributions: true });
  ctx.out(ctx.flags.json ? JSON.stringify(report) + '\n' : formatPlan(report));
  return 0;
}
