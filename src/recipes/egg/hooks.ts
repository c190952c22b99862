// The plugins of zc.recipe.egg (:scripts and its aliases, :eggs): the options its Python
// constructor adds (`bin-directory`/`_b` for the scripts recipes, eggs and develop-eggs
// directories).
import { isAbsolute, join } from 'node:path';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';
import { setupDirectory } from './develop-paths.js';

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
// zc.recipe.egg:develop's constructor: `_d`, and `setup` joined to the buildout directory
export const developPlugin: RecipePlugin = {
  name: 'zc.recipe.egg:develop',
  computeOptions({ options, buildout }: ComputeOptionsInput) {
    const b = buildout.options;
    const out: Record<string, string> = {};
    if (b['develop-eggs-directory'] !== undefined) out._d = b['develop-eggs-directory'];
    if (options.setup !== undefined) out.setup = isAbsolute(options.setup) ? options.setup : join(b.directory ?? '.', options.setup);
    return out;
  },
  // its project is a develop egg of the environment
  developPaths: (options) => (options.setup ? [setupDirectory(options.setup)] : []),
  load: async () => (await import('./develop.js')).default,
};
export default scriptsPlugin;
