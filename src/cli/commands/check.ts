// `buildout check [--json]`: resolves every section (not only the installed ones),
// validates every part's options with its recipe, and reports every problem with
// file:line, section and option. Exit 1 when there is an error. Nothing is written,
// installed or run: meant for CI and pre-commit hooks.
import type { CommandContext } from '../context.js';
import { isBuildoutError } from '../../errors.js';
import type { Buildout, LoadOptions } from '../../config/types.js';
import { collectConfigProblems, unique } from '../../config/problems.js';
import { RecipeCatalog } from '../../install/recipes.js';
import { findBuiltinRecipe } from '../../recipes/registry.js';
import type { BuildoutView, RecipeHooks } from '../../recipes/types.js';
import { problemOf, problemsJson, problemsText, type Problem } from '../check/problem.js';
import { recipeProblems } from '../check/recipe-problems.js';

export async function run(ctx: CommandContext): Promise<number> {
  const { problems, directory } = await checkConfiguration(ctx.load);
  if (ctx.flags.json) ctx.out(problemsJson(problems));
  else ctx.out(problemsText(problems, directory));
  return problems.some((p) => p.severity === 'error') ? 1 : 0;
}

export interface CheckResult {
  problems: Problem[];
  /** the buildout directory ('' when the configuration could not be loaded) */
  directory: string;
}

/** Every problem of the configuration `load` describes (config problems first, then the parts' recipes). */
export async function checkConfiguration(load: LoadOptions): Promise<CheckResult> {
  const wiring = recipeWiring(load);
  let b: Buildout;
  try {
    b = await wiring.load();
  } catch (e) {
    // a file that cannot be read or parsed, or a broken [buildout]: nothing more can be resolved
    if (!isBuildoutError(e)) throw e;
    return { problems: [problemOf(e, 'config')], directory: '' };
  }
  const problems: Problem[] = (b.warnings ?? []).map((w) => ({ severity: 'warning', stage: 'config', code: 'UserError', message: w, section: 'buildout' }));
  const config = collectConfigProblems(b);
  problems.push(...config.problems.map((e) => problemOf(e, 'config')));
  const late = await wiring.finish(b);
  problems.push(...unique(late).map((e) => problemOf(e, 'recipe')));
  problems.push(...(await recipeProblems({ buildout: b, catalog: wiring.catalog, view: wiring.view, computed: wiring.computed, parts: config.parts })));
  return { problems, directory: b.buildout.directory ?? '' };
}

// --- internal ---

/**
 * Loads the configuration with the recipes' light hooks wired in, as install does
 * (install/resolve-parts.ts): a part's computed options (`location`, ...) are visible to
 * `${part:option}` references, so check sees what install sees.
 */
function recipeWiring(load: LoadOptions) {
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
      const [{ loadBuildout }] = await Promise.all([import('../../config/resolve.js'), catalog.preloadBuiltinHooks()]);
      const onPartMaterialised = (part: string, options: Readonly<Record<string, string>>) => {
        const spec = options.recipe ?? '';
        if (!bo || !catalog.isReady(spec)) {
          late.push(part);
          return undefined;
        }
        return compute(catalog.hooksIfReady(spec), part, options);
      };
      bo = await loadBuildout({ ...load, onPartMaterialised, onLoaded: (b) => (bo = b) });
      // user recipe modules, named by the raw recipe values (their hooks come with them)
      const specs = bo.sectionNames().map((s) => bo!.annotated(s)?.recipe?.value?.trim() ?? '');
      await catalog.preloadUser(specs.filter((s) => s && !s.includes('${') && !findBuiltinRecipe(s)));
      return bo;
    },
    /** Computes the options of parts whose recipe was not at hand when they materialised. */
    async finish(b: Buildout) {
      const errors = [];
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

function safeSection(b: Buildout, name: string): Readonly<Record<string, string>> | undefined {
  try {
    return b.section(name);
  } catch {
    return undefined;
  }
}
