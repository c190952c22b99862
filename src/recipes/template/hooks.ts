// Resolve-time hooks of collective.recipe.template: the input file is part of
// the part's signature, so editing it reinstalls the part.
import { isAbsolute, join } from 'node:path';
import type { RecipeHooks } from '../types.js';

const hooks: RecipeHooks = {
  inputFiles({ options, buildout }) {
    const input = options.input?.trim();
    if (!input || input.startsWith('inline:')) return [];
    return [isAbsolute(input) ? input : join(buildout.options.directory ?? '.', input)];
  },
};

export default hooks;
