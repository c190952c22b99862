// Resolving what to install: load the configuration with the recipes wired in
// (recipe-seam.ts), take the install list, find each part's recipe and compute the
// options that will be compared with .installed.cfg. Nothing here writes anything
// or imports a full recipe module.
import { isAbsolute, join } from 'node:path';
import type { Buildout, LoadOptions } from '../config/types.js';
import { BuildoutError } from '../errors.js';
import { createDebug } from '../log.js';
import type { ComputeOptionsInput } from '../recipes/types.js';
import { SIGNATURE_KEY } from '../state/installed.js';
import type { RecipeCatalog, ResolvedRecipe } from './recipes.js';
import { loadConfiguration, recipeSeam, settled, type RecipeSeam } from './recipe-seam.js';
import type { PythonPluginFactory } from './recipes.js';
import { partSignature } from './signature.js';
import type { LoadedExtensions } from '../extensions/loader.js';
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
  /** files whose size and mtime are in the signature (templates, a user recipe module) */
  inputs: string[];
  alwaysUpdate: boolean;
}

export interface ResolvedInstall {
  buildout: Buildout;
  /** recipes known to this run (also used to find uninstall hooks of old parts) */
  catalog: RecipeCatalog;
  seam: RecipeSeam;
  directory: string;
  /** absolute path of .installed.cfg, or '' when `installed =` disables it */
  installedFile: string;
  /** true with `install PART…` */
  explicit: boolean;
  parts: PartInfo[];
  extensions: LoadedExtensions;
}

const debug = createDebug('install');

export interface ResolveExtras {
  /** Python recipes (install: the session of the run) */
  python?: PythonPluginFactory;
  /** runs `extensions =` once [buildout] is materialised, before the parts are */
  extensions?: (bo: Buildout) => Promise<LoadedExtensions>;
}

export async function resolveInstall(load: LoadOptions, explicitParts: readonly string[], extras: ResolveExtras = {}): Promise<ResolvedInstall> {
  const seam = recipeSeam(load.cwd, extras.python);
  const bo = await loadConfiguration(load, seam);
  debug?.(`configuration loaded at ${performance.now().toFixed(1)} ms`);
  const extensions = extras.extensions ? await extras.extensions(bo) : { names: [], unload: async () => {} };
  const directory = bo.buildout.directory ?? load.cwd;

  if (bo.buildout.parts === undefined) {
    throw new BuildoutError('MissingOption', 'Missing option: buildout:parts', { loc: bo.locate('buildout'), section: 'buildout', option: 'parts', hint: 'List the parts to install: parts = instance ...' });
  }
  const names = explicitParts.length ? [...new Set(explicitParts)] : bo.buildout.parts.split(/\s+/).filter(Boolean);
  for (const name of names) requireSection(bo, name, explicitParts.length > 0);
  const list = explicitParts.length ? await settled(() => names.map((n) => (bo.section(n), n))) : await settled(() => bo.installList());
  for (const name of names) requireRecipe(bo, name);

  const parts = list.map((name): PartInfo => {
    const section = bo.section(name);
    const spec = section.recipe ?? '';
    const recipe = seam.catalog.resolve(name, spec, bo.locate(name, 'recipe'));
    const raw = { ...section };
    const input: ComputeOptionsInput = { part: name, options: raw, buildout: bo.reader(name) };
    const inputs = [...(recipe.plugin.inputFiles?.(input) ?? []), ...(recipe.file ? [recipe.file] : [])];
    const always = recipe.plugin.alwaysUpdate;
    const computed = seam.computed.get(name) ?? {};
    return {
      name,
      recipe,
      raw,
      written: Object.keys(section).filter((k) => !Object.hasOwn(computed, k)),
      recorded: { ...raw, [SIGNATURE_KEY]: recipe.plugin.signature?.(input) ?? partSignature(inputs) },
      inputs,
      alwaysUpdate: typeof always === 'function' ? always(raw) : always === true,
    };
  });

  const installed = bo.buildout.installed ?? join(directory, '.installed.cfg');
  return {
    buildout: bo,
    catalog: seam.catalog,
    seam,
    directory,
    installedFile: installed === '' ? '' : isAbsolute(installed) ? installed : join(directory, installed),
    explicit: explicitParts.length > 0,
    parts,
    extensions,
  };
}

// --- internal ---

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
