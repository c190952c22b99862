// The Recipe (install/update/uninstall) of a Python part: calls into the host, where the
// part's recipe object lives (constructed in this run, or constructed now from the options
// recorded for it), with zc.buildout's semantics: install() returns the paths to record,
// update() may return None (the old paths stay), the uninstall entry point runs before the
// recorded paths are removed.
import { defineRecipe, type Recipe, type RecipeContext } from '../../recipes/types.js';
import type { SectionReader } from '../../config/types.js';
import { unusedOptionsWarning } from '../options.js';
import { asRecipeError } from './host-errors.js';
import type { RecipeHost, RunResult } from './host.js';
import type { PythonRecipes } from './session.js';

type Options = Record<string, string>;

export function pythonRecipe(spec: string, session: PythonRecipes): Recipe<Options> {
  const run = async (ctx: RecipeContext<Options>, what: 'install' | 'update'): Promise<string[] | void> => {
    const host = await readyHost(ctx, spec, session);
    const r: RunResult = await asRecipeError(what === 'install' ? host.install(ctx.part) : host.update(ctx.part), ctx.part, spec);
    const warning = unusedOptionsWarning(ctx.part, r.unused, new Set());
    if (warning) ctx.log.warn(warning);
    if (r.paths === null) {
      if (what === 'install') ctx.log.warn(`The ${ctx.part} install returned None.  A path or iterable os paths should be returned.`);
      return what === 'install' ? [] : undefined;
    }
    return r.paths;
  };
  return defineRecipe<Options>({
    name: spec,
    schema: undefined as never,
    requirements: (ctx) => session.requirements([ctx.part]),
    install: (ctx) => run(ctx, 'install') as Promise<string[]>,
    update: (ctx) => run(ctx, 'update'),
    async uninstall({ part, raw, buildout, log }) {
      if (!session.canRun) return;
      const host = await session.hostFor(buildout as SectionReader);
      const ran = await asRecipeError(host.uninstall(part, spec, raw), part, spec);
      if (ran) log.debug(`${part}: ran the uninstall entry point of ${spec}`);
    },
  });
}

// The host, with this part's recipe constructed in it and able to install distributions.
async function readyHost(ctx: RecipeContext<Options>, spec: string, session: PythonRecipes): Promise<RecipeHost> {
  const host = await session.hostFor(ctx.buildout as SectionReader);
  host.provide({
    python: async (extra, part) => {
      if (part) session.noteRequirements(part, extra);
      return ctx.pythonWith ? ctx.pythonWith(extra) : ctx.python();
    },
  });
  if (!session.isConstructedInHost(ctx.part)) {
    const entry = session.entry(ctx.part);
    if (!entry) throw new Error(`no constructor result for ${ctx.part}`);
    await asRecipeError(session.constructNow(host, ctx.part, spec, entry.options, ctx.buildout as SectionReader), ctx.part, spec);
  }
  return host;
}
