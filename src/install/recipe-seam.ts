// The one wiring of recipes into the configuration engine, used by install and by the
// commands that resolve as install does (annotate --json, query, check): the engine's
// PartInitializer (src/config/types.ts) backed by the RecipeCatalog. When a part's section
// is materialised, its recipe's plugin computes the options the recipe sets
// (`computeOptions`, zc.buildout's constructor); a plugin not imported yet, or a Python
// recipe whose constructor must run in our Python host, throws PendingWork and
// `loadConfiguration` settles it.
import type { Buildout, InitializedOptions, LoadOptions, PartInitializer } from '../config/types.js';
import { PendingWork, settle } from '../config/pending.js';
import { loadBuildout } from '../config/resolve.js';
import { RecipeCatalog, type PythonPluginFactory } from './recipes.js';

export interface RecipeSeam extends PartInitializer {
  catalog: RecipeCatalog;
  /** the options each part's recipe set (computeOptions' result, `null` = removed), by part */
  readonly computed: ReadonlyMap<string, InitializedOptions>;
}

/** The engine's PartInitializer over a catalog of recipe plugins. */
export function recipeSeam(cwd: string, python?: PythonPluginFactory): RecipeSeam {
  let directory = cwd;
  const catalog = new RecipeCatalog(() => directory, python);
  const computed = new Map<string, InitializedOptions>();
  const readyRecipes = new Map<string, string>();
  return {
    catalog,
    computed,
    async prepare(specs, dir) {
      directory = dir;
      await catalog.prepare(specs);
    },
    missingHint(section) {
      const spec = readyRecipes.get(section);
      return spec ? `The option would be set by the Python recipe ${spec} of [${section}], whose constructor has not run yet: run buildout (install) once.` : undefined;
    },
    initialize(part, options, buildout) {
      const spec = options.recipe ?? '';
      const r = catalog.ready(spec);
      // a recipe value built by substitution: import its plugin, then materialise again
      if (r === 'missing') throw new PendingWork(part, () => catalog.load(spec));
      // an unknown recipe or a broken plugin is reported where the part is resolved
      const set = r?.plugin.computeOptions?.({ part, options, buildout });
      if (set) computed.set(part, set);
      else computed.delete(part);
      // a Python recipe that could not give its options (annotate, query, check: no host)
      if (r?.kind === 'python' && set === undefined) readyRecipes.set(part, spec);
      else readyRecipes.delete(part);
      return set;
    },
  };
}

/** Loads the configuration with the recipes wired in ([buildout] materialised, its pending work settled). */
export function loadConfiguration(load: LoadOptions, seam: RecipeSeam): Promise<Buildout> {
  return loadBuildout({ ...load, recipes: seam });
}

/** Materialises `fn`'s sections, doing the recipes' pending work first. */
export function settled<T>(fn: () => T): Promise<T> {
  return settle(fn);
}
