// Loads the configuration with the recipes' light hooks wired in, as install does
// (install/resolve-parts.ts): the options a recipe computes for its part (`location`,
// ...) are visible to `${part:option}` references, so that annotate --json, query and
// check resolve exactly what install resolves. Hooks import no zod, handlebars or execa.
import { isBuildoutError, type BuildoutError } from '../errors.js';
import type { Buildout, LoadOptions } from '../config/types.js';
import { loadBuildout } from '../config/resolve.js';
import { RecipeCatalog } from '../install/recipes.js';
import { findBuiltinRecipe } from '../recipes/registry.js';
import type { BuildoutView, RecipeHooks } from '../recipes/types.js';

export interface RecipeWiring {
  catalog: RecipeCatalog;
  /** options the recipes' computeOptions returned, by part */
  computed: Map<string, Record<string, string>>;
  /** what recipes see of the buildout (sections with their computed options) */
  view: BuildoutView;
  /** loads the configuration and the user recipe modules it names */
  load(): Promise<Buildout>;
  /** computes the options of parts whose recipe was not at hand when they materialised; their errors */
  finish(b: Buildout): Promise<BuildoutError[]>;
}

/** Loads `load` and returns the Buildout with every part's computed options in its sections. */
export async function loadResolved(load: LoadOptions): Promise<Buildout> {
  const wiring = recipeWiring(load);
  const b = await wiring.load();
  const late = await wiring.finish(b);
  if (late.length) throw late[0];
  return b;
}

/**
 * Loads the configuration with the recipes' light hooks wired in, as install does
 * (install/resolve-parts.ts): a part's computed options (`location`, ...) are visible to
 * `${part:option}` references, so that annotate --json, query and check see what install sees.
 */
export function recipeWiring(load: LoadOptions): RecipeWiring {
  let bo: Buildout | undefined;
  const catalog = new RecipeCatalog(() => bo?.buildout.directory ?? load.cwd);
  const computed = new Map<string, Record<string, string>>();
  const late: string[] = [];
  const view: BuildoutView = {
    get options() {
      return bo!.buildout;
    },
    section: (name) => ({ ...bo!.section(name), ...computed.get(name) }),
    hasSection: (name) => bo!.hasSection(name),
  };
  const compute = (hooks: RecipeHooks | undefined, part: string, options: Readonly<Record<string, string>>) => {
    const extra = hooks?.computeOptions?.({ part, options, buildout: view });
    if (extra) computed.set(part, extra);
    return extra;
  };
  return {
    catalog,
    computed,
    view,
    async load(): Promise<Buildout> {
      const onPartMaterialised = (part: string, options: Readonly<Record<string, string>>) => {
        const spec = options.recipe ?? '';
        if (!bo || !catalog.isReady(spec)) {
          late.push(part);
          return undefined;
        }
        return compute(catalog.hooksIfReady(spec), part, options);
      };
      // bo stays unset until the hooks are at hand: parts materialised before that are late
      bo = await loadBuildout({ ...load, onPartMaterialised });
      // Only the recipes the configuration names (raw values; one built by substitution is
      // handled by finish): parts materialised while [buildout] was (bo unset) are late anyway.
      const specs = [...new Set(bo.sectionNames().map((s) => bo!.annotated(s)?.recipe?.value?.trim() ?? ''))].filter((s) => s && !s.includes('${'));
      await Promise.all([catalog.preloadBuiltinHooks(specs.filter((s) => findBuiltinRecipe(s))), catalog.preloadUser(specs.filter((s) => !findBuiltinRecipe(s)))]);
      return bo;
    },
    /** Computes the options of parts whose recipe was not at hand when they materialised. */
    async finish(b: Buildout) {
      const errors: BuildoutError[] = [];
      const specs = late.map((p) => safeSection(b, p)?.recipe ?? '').filter(Boolean);
      await Promise.all([catalog.preloadBuiltinHooks(specs), catalog.preloadUser(specs.filter((n) => !findBuiltinRecipe(n)))]);
      for (const part of late) {
        const options = safeSection(b, part);
        if (!options || computed.has(part)) continue;
        try {
          compute(catalog.hooksIfReady(options.recipe ?? ''), part, options);
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
          errors.push(e.placeAt(b.locate(part, e.option)));
        }
      }
      return errors;
    },
  };
}

// --- internal ---

function safeSection(b: Buildout, name: string): Readonly<Record<string, string>> | undefined {
  try {
    return b.section(name);
  } catch {
    return undefined;
  }
}
