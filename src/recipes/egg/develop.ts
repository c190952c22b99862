// zc.recipe.egg:develop: a project installed in development mode, as if it were in
// [buildout] develop. The environment installs it (its plugin's developPaths, hooks.ts)
// before recipes run; the part then writes what zc.buildout's easy_install.develop leaves,
// `<develop-eggs>/<project>.egg-link` (the folder, then `.`), and records it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { defineRecipe, type RecipeContext } from '../types.js';
import { developSchema } from './schema.js';
import { setupDirectory } from './develop-paths.js';

type DevelopOptions = z.output<typeof developSchema>;

async function install(ctx: RecipeContext<DevelopOptions>): Promise<string[]> {
  const dir = setupDirectory(ctx.options.setup);
  const { developDistKey, developDistName } = await import('../../python/develop.js');
  const env = await ctx.python();
  const { envMetadata } = await import('../../python/metadata.js');
  const installed = (await envMetadata(env)).dists[developDistKey(dir)];
  const name = installed?.name ?? developDistName(dir);
  // `_d`: [buildout] develop-eggs-directory, set by the constructor (hooks.ts)
  const dest = ctx.options._d ?? ctx.buildout.options['develop-eggs-directory']!;
  mkdirSync(dest, { recursive: true });
  // easy_install's name for it: the project name with `-` as `_`
  const link = join(dest, `${name.replace(/-/g, '_')}.egg-link`);
  writeFileSync(link, `${dir}\n.`);
  return [link];
}

// zc.recipe.egg's update() is its install()
export default defineRecipe<DevelopOptions>({ name: 'zc.recipe.egg:develop', schema: developSchema, install, update: install });
