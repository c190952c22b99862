// Resolve-time hooks of zc.recipe.egg: the options its Python constructor adds
// (`bin-directory`/`_b` for the scripts recipes, eggs and develop-eggs directories).
import type { RecipeHooks } from '../types.js';

const hooks: RecipeHooks = {
  computeOptions({ options, buildout }) {
    const b = buildout.options;
    const out: Record<string, string> = {};
    const set = (k: string, v: string | undefined) => {
      if (v !== undefined && options[k] === undefined) out[k] = v;
    };
    set('eggs-directory', b['eggs-directory']);
    set('_e', b['eggs-directory']);
    set('develop-eggs-directory', b['develop-eggs-directory']);
    set('_d', b['develop-eggs-directory']);
    if (!/:eggs\s*$/.test(options.recipe ?? '')) {
      set('bin-directory', b['bin-directory']);
      set('_b', b['bin-directory']);
    }
    return out;
  },
};

export default hooks;
