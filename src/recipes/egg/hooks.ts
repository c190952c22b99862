// The plugins of zc.recipe.egg (:scripts and its aliases, :eggs): the options its Python
// constructor adds (`bin-directory`/`_b` for the scripts recipes, eggs and develop-eggs
// directories).
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';

const hooks = {
  computeOptions({ options, buildout }: ComputeOptionsInput) {
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

// zc.recipe.egg's script recipes read [buildout] relative-paths when constructed
export const scriptsPlugin: RecipePlugin = { name: 'zc.recipe.egg:scripts', ...hooks, load: async () => (await import('./scripts.js')).default, buildoutOptions: ['relative-paths'] };
export const eggsPlugin: RecipePlugin = { name: 'zc.recipe.egg:eggs', ...hooks, load: async () => (await import('./eggs.js')).default };
export default scriptsPlugin;
