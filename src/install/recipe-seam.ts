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
import { isBuildoutError, type BuildoutError } from '../errors.js';
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
  return {
    catalog,
    computed,
    async prepare(specs, dir) {
      directory = dir;
      await catalog.prepare(specs);
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

/** The materialised options of a section, or the BuildoutError that stops it (PendingWork settled). */
export async function sectionOrError(b: Buildout, name: string): Promise<Readonly<Record<string, string>> | BuildoutError> {
  try {
    return await settle(() => b.section(name));
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
}
