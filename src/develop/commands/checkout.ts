// develop checkout / update: checks out the matching sources (and activates the
// eggs among them), or updates the checked-out ones. A dirty working copy is
// only updated with -f; otherwise it is skipped with a warning.
import { checkoutSources, updateSources } from '../working-copies.js';
import type { ActionOptions } from '../types.js';
import type { ParsedSubcommand } from './args.js';
import { save } from './activation.js';
import { selectPackages, sorted, type DevelopCommandContext } from './context.js';

export async function checkout(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const { sources, state } = ctx.session;
  const packages = sorted(selectPackages(ctx, parsed, { develop: false, checkedOut: false }));
  await checkoutSources(sources, packages, actionOptions(ctx, parsed, false), { threads: ctx.session.threads, log: ctx.log, out: ctx.out, section: ctx.session.settings.sourcesSection });
  for (const name of packages) {
    if (!sources.get(name)!.egg) continue;
    state.develop.set(name, true);
    ctx.log.info(`Activated '${name}'.`);
  }
  ctx.log.warn("Don't forget to run buildout again, so the checked out packages are used as develop eggs.");
  save(ctx);
  return 0;
}

export async function update(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const packages = sorted(selectPackages(ctx, parsed, { checkedOut: true }));
  // mr.developer also forces with any always-checkout; we force only with `force`, so no local change is lost
  const force = parsed.flags.has('force') || ctx.session.settings.alwaysCheckout === 'force';
  await updateSources(ctx.session.sources, packages, actionOptions(ctx, parsed, force), { threads: ctx.session.threads, log: ctx.log, out: ctx.out, section: ctx.session.settings.sourcesSection });
  return 0;
}

function actionOptions(ctx: DevelopCommandContext, parsed: ParsedSubcommand, force: boolean): ActionOptions {
  const s = ctx.session.settings;
  return { update: false, force, submodules: s.submodules, offline: false, verbose: parsed.flags.has('verbose'), acceptCertificate: s.acceptCertificate };
}
