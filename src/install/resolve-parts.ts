// Resolving what to install: load the configuration with the recipes' computeOptions
// hook wired in, take the install list, find each part's recipe and compute the
// options that will be compared with .installed.cfg. Nothing here writes anything
// or imports a full recipe module.
import { isAbsolute, join } from 'node:path';
import type { Buildout, LoadOptions } from '../config/types.js';
import { BuildoutError } from '../errors.js';
import { createDebug } from '../log.js';
import type { BuildoutView, ComputeOptionsInput, RecipeHooks } from '../recipes/types.js';
import { findBuiltinRecipe } from '../recipes/registry.js';
import { SIGNATURE_KEY } from '../state/installed.js';
import { RecipeCatalog, type ResolvedRecipe } from './recipes.js';
import { partSignature } from './signature.js';
import { suggestion } from '../config/hints.js';

export interface PartInfo {
  name: string;
  recipe: ResolvedRecipe;
  /** substituted options plus the ones the recipe computes (RecipeContext.raw) */
  raw: Record<string, string>;
  /** option names as the configuration gives them (for the unused-option warning) */
  written: string[];
  /** `raw` plus `__buildout_signature__`: what .installed.cfg records and compares */
  recorded: Record<string, string>;
  alwaysUpdate: boolean;
}

export interface ResolvedInstall {
  buildout: Buildout;
  /** recipes known to this run (also used to find uninstall hooks of old parts) */
  catalog: RecipeCatalog;
  view: BuildoutView;
  directory: string;
  /** absolute path of .installed.cfg, or '' when `installed =` disables it */
  installedFile: string;
  /** true with `install PART…` */
  explicit: boolean;
  parts: PartInfo[];
}

const debug = createDebug('install');

export async function resolveInstall(load: LoadOptions, explicitParts: readonly string[]): Promise<ResolvedInstall> {
  const catalog = new RecipeCatalog(() => bo.buildout.directory ?? load.cwd);

  const computed = new Map<string, Record<string, string>>();
  const late: string[] = [];
  let bo!: Buildout;
  const view: BuildoutView = {
    get options() {
      return bo.buildout;
    },
    section: (name) => withComputed(name, bo.section(name), computed),
    hasSection: (name) => bo.hasSection(name),
  };
  // zc.buildout constructs each recipe while its section is materialised, and the
  // options it sets are visible to later ${part:option} references; our hook does that.
  const onPartMaterialised = (part: string, options: Readonly<Record<string, string>>) => {
    const spec = options.recipe ?? '';
    if (!bo || !catalog.isReady(spec)) {
      late.push(part);
      return undefined;
    }
    const extra = callCompute(catalog.hooksIfReady(spec), { part, options, buildout: view });
    if (extra) computed.set(part, extra);
    return extra;
  };

  // Built-in hooks are needed even while loadBuildout materialises [buildout] (which may
  // reference ${instance:location}); they are tiny and load alongside the engine.
  const [{ loadBuildout }] = await Promise.all([import('../config/resolve.js'), catalog.preloadBuiltinHooks()]);
  debug?.(`config engine imported at ${performance.now().toFixed(1)} ms`);
  bo = await loadBuildout({ ...load, onPartMaterialised });
  debug?.(`configuration loaded at ${performance.now().toFixed(1)} ms`);
  const directory = bo.buildout.directory ?? load.cwd;
  // User recipe modules (their hooks with them) must be at hand, synchronously, when the
  // parts are materialised (installList below); the names come from the raw values.
  await catalog.preloadUser(recipeSpecs(bo).filter((n) => !findBuiltinRecipe(n)));
  debug?.(`user recipes imported at ${performance.now().toFixed(1)} ms`);

  if (bo.buildout.parts === undefined) {
    throw new BuildoutError('MissingOption', 'Missing option: buildout:parts', { loc: bo.locate('buildout'), section: 'buildout', option: 'parts', hint: 'List the parts to install: parts = instance ...' });
  }
  const names = explicitParts.length ? [...new Set(explicitParts)] : bo.buildout.parts.split(/\s+/).filter(Boolean);
  for (const name of names) requireSection(bo, name, explicitParts.length > 0);
  const list = explicitParts.length ? names.map((n) => (bo.section(n), n)) : bo.installList();
  for (const name of names) requireRecipe(bo, name);

  // Parts whose recipe could not be known when they were materialised (recipe value
  // built by substitution): compute their options now (not visible to references).
  const lateSpecs = late.map((p) => bo.section(p).recipe ?? '').filter(Boolean);
  await Promise.all([catalog.preloadBuiltinHooks(lateSpecs), catalog.preloadUser(lateSpecs.filter((n) => !findBuiltinRecipe(n)))]);
  for (const part of late) {
    if (computed.has(part)) continue;
    const options = bo.section(part);
    const extra = callCompute(catalog.hooksIfReady(options.recipe ?? ''), { part, options, buildout: view });
    if (extra) computed.set(part, extra);
  }

  const parts = list.map((name): PartInfo => {
    const section = bo.section(name);
    const spec = section.recipe ?? '';
    const recipe = catalog.resolve(name, spec, bo.locate(name, 'recipe'));
    const raw = withComputed(name, section, computed);
    const input: ComputeOptionsInput = { part: name, options: raw, buildout: view };
    const inputs = [...(recipe.hooks?.inputFiles?.(input) ?? []), ...(recipe.kind === 'user' ? [recipe.user.file] : [])];
    const always = recipe.hooks?.alwaysUpdate;
    return {
      name,
      recipe,
      raw,
      written: Object.keys(section).filter((k) => !Object.hasOwn(computed.get(name) ?? {}, k)),
      recorded: { ...raw, [SIGNATURE_KEY]: partSignature(inputs) },
      alwaysUpdate: typeof always === 'function' ? always(raw) : always === true,
    };
  });

  const installed = bo.buildout.installed ?? join(directory, '.installed.cfg');
  return {
    buildout: bo,
    catalog,
    view,
    directory,
    installedFile: installed === '' ? '' : isAbsolute(installed) ? installed : join(directory, installed),
    explicit: explicitParts.length > 0,
    parts,
  };
}

// --- internal ---

function withComputed(name: string, section: Readonly<Record<string, string>>, computed: Map<string, Record<string, string>>): Record<string, string> {
  const extra = computed.get(name);
  return extra ? { ...section, ...extra } : { ...section };
}

function callCompute(hooks: RecipeHooks | undefined, input: ComputeOptionsInput): Record<string, string> | undefined {
  if (!hooks?.computeOptions) return undefined;
  try {
    return hooks.computeOptions(input);
  } catch (e) {
    if (e instanceof BuildoutError) throw e.while(`Initializing part ${input.part}.`);
    throw e;
  }
}

// The recipe values written in the configuration (raw, unsubstituted: a recipe inherited
// through `<=` is written in its source section). Values built by substitution are
// handled after materialisation (`late`).
function recipeSpecs(bo: Buildout): string[] {
  const names = new Set<string>();
  for (const s of bo.sectionNames()) {
    const v = bo.annotated(s)?.recipe?.value?.trim();
    if (v && !v.includes('${')) names.add(v);
  }
  return [...names];
}

function requireSection(bo: Buildout, name: string, explicit: boolean): void {
  if (bo.hasSection(name)) return;
  const close = suggestion('section', name, bo.sectionNames());
  throw new BuildoutError('MissingSection', `The part '${name}' has no section: there is no [${name}] in the configuration.`, {
    loc: explicit ? undefined : bo.locate('buildout', 'parts'),
    section: explicit ? undefined : 'buildout',
    option: explicit ? undefined : 'parts',
    hint: close ?? (explicit ? `Name a part that has a section with a recipe.` : `Add a [${name}] section with a recipe, or remove '${name}' from buildout:parts.`),
  });
}

function requireRecipe(bo: Buildout, name: string): void {
  if (bo.section(name).recipe) return;
  throw new BuildoutError('MissingOption', `Missing option: ${name}:recipe`, {
    loc: bo.locate(name),
    section: name,
    option: 'recipe',
    hint: `The part '${name}' needs a recipe, e.g. recipe = plone.recipe.zope2instance.`,
  });
}
