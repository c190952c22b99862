// The recipe environment, `.buildout/recipes`: where Python recipes and extensions are
// installed as zc.buildout installs them (from the index, find-links or a develop egg,
// honouring [versions]), next to the real zc.buildout they import and setuptools < 82 (its
// pkg_resources). It is separate from the buildout's own environment (`.buildout/venv`), so
// that zc.buildout's needs are never forced on the parts' eggs.
import { join } from 'node:path';
import type { SectionReader } from '../../config/types.js';
import type { Logger } from '../../log.js';
import type { PythonEnv } from '../../python/types.js';
import type { EnvironmentSpec } from '../../python/ensure-environment.js';
import { normaliseName } from '../../python/requirements.js';
import { ZC_BUILDOUT_VERSION } from '../../config/buildout-defaults.js';

export const RECIPE_ENV_DIR = join('.buildout', 'recipes');
export const RECIPE_INSTALLER_DIR = join('.buildout', 'recipes-installer');

// Pins of the user's [versions] that the host overrides: it needs the zc.buildout we
// reproduce (its recipe API) and a setuptools that still has pkg_resources (gone in 82).
const HOST_PINS: Record<string, string> = { 'zc.buildout': ZC_BUILDOUT_VERSION, setuptools: '<82' };

/** The distribution a recipe or extension value names (`dist[:entry]`). */
export function recipeDist(spec: string): string {
  return spec.split(':')[0]!.trim();
}

export interface RecipeEnvRequest {
  buildout: SectionReader;
  /** recipe and extension values (`dist[:entry]`) */
  specs: readonly string[];
  log: Logger;
  onProgress?: (line: string) => void;
}

/** Makes the recipe environment hold every named distribution; no process when nothing changed. */
export async function ensureRecipeEnv(req: RecipeEnvRequest): Promise<PythonEnv> {
  const { ensureEnvironment } = await import('../../python/ensure-environment.js');
  return ensureEnvironment(await recipeEnvSpec(req));
}

/** The recipe environment as an EnvironmentSpec (also what `buildout lock` locks). */
export async function recipeEnvSpec(req: RecipeEnvRequest): Promise<EnvironmentSpec> {
  const [{ readSettings }, { developDistKey }, { developPaths }] = await Promise.all([
    import('../../python/settings.js'),
    import('../../python/develop.js'),
    import('../python-env.js'),
  ]);
  const b = req.buildout.options;
  const directory = b.directory!;
  const dists = [...new Set(req.specs.map(recipeDist))].sort();
  const keys = new Set(dists.map(normaliseName));
  const versionsName = (b.versions ?? 'versions').trim();
  const userPins = versionsName && req.buildout.hasSection(versionsName) ? req.buildout.section(versionsName) : {};
  const versions: Record<string, string> = {};
  for (const [name, v] of Object.entries(userPins)) if (!Object.keys(HOST_PINS).some((h) => normaliseName(h) === normaliseName(name))) versions[name] = v;
  Object.assign(versions, HOST_PINS);
  // a recipe may be a develop egg of the buildout; other develop eggs (the site's add-ons) stay out
  const develop = developPaths(b.develop ?? '', directory, req.log).filter((d) => keys.has(normaliseName(developDistKey(d))));
  const settings = readSettings({ buildout: b, versions: {}, requirements: [], develop: [], log: req.log, section: (n) => req.buildout.section(n) });
  return {
    prefix: join(directory, RECIPE_ENV_DIR),
    workDir: join(directory, RECIPE_INSTALLER_DIR),
    requirements: [...dists, `zc.buildout==${ZC_BUILDOUT_VERSION}`, 'setuptools<82'],
    versions,
    develop,
    // the recipe environment is built from the buildout's interpreter, never with its site-packages
    settings: { ...settings, includeSitePackages: false },
    log: req.log,
    ...(req.onProgress ? { onProgress: req.onProgress } : {}),
  };
}
