// zc.recipe.egg:eggs: makes the part's eggs available in the buildout's
// environment. The install lifecycle installs every part's requirements before
// recipes run, so there is nothing left to do but check they are there.
import { defineRecipe } from '../types.js';
import { eggsSchema } from './schema.js';
import { eggRequirements } from './requirements.js';

export default defineRecipe({
  name: 'zc.recipe.egg:eggs',
  schema: eggsSchema,
  requirements: (ctx) => eggRequirements(ctx.part, ctx.raw),
  async install(ctx) {
    const env = await ctx.python();
    const { envMetadata, resolveDists } = await import('../../python/metadata.js');
    resolveDists(await envMetadata(env), eggRequirements(ctx.part, ctx.raw), false, { section: ctx.part, option: 'eggs' });
    return [];
  },
  async update() {
    return [];
  },
});
