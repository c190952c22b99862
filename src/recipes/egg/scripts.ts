// zc.recipe.egg (:default, :scripts, :script): console scripts for the part's
// eggs in bin/, plus an optional interpreter, as the Python recipe writes them.
import { join } from 'node:path';
import { parseBool } from '../options.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { scriptsSchema, type ScriptsOptions } from './schema.js';
import { eggRequirements } from './requirements.js';

async function writeScripts(ctx: RecipeContext<ScriptsOptions>): Promise<string[]> {
  const { writeConsoleScripts, parseScriptsFilter } = await import('../../python/scripts.js');
  const b = ctx.buildout.options;
  const o = ctx.options;
  const directory = b.directory ?? '.';
  const relative = o['relative-paths'] ?? b['relative-paths'];
  const scripts = parseScriptsFilter(o.scripts);
  const env = await ctx.python();
  const created = await writeConsoleScripts(env, {
    part: ctx.part,
    binDir: b['bin-directory'] ?? join(directory, 'bin'),
    eggs: eggRequirements(ctx.part, ctx.raw),
    ...(scripts ? { scripts } : {}),
    ...(o.interpreter?.trim() ? { interpreter: o.interpreter.trim() } : {}),
    ...(o.initialization ? { initialization: o.initialization } : {}),
    ...(o.arguments ? { arguments: o.arguments } : {}),
    extraPaths: o['extra-paths'].map((p) => (p.startsWith('/') ? p : join(directory, p))),
    entryPoints: (o['entry-points'] ?? '').split(/\s+/).filter(Boolean),
    dependentScripts: o['dependent-scripts'],
    ...(relative && parseBool(relative) ? { relativePaths: directory } : {}),
  });
  ctx.created(...created);
  return created;
}

export default defineRecipe({
  name: 'zc.recipe.egg:scripts',
  schema: scriptsSchema,
  requirements: (ctx) => eggRequirements(ctx.part, ctx.raw),
  install: writeScripts,
  /** Rewrites the scripts (zc.recipe.egg's update is its install). */
  update: writeScripts,
});
