// Loads a configuration with the recipes wired in exactly as install does (the same seam,
// src/install/recipe-seam.ts): a part's computed options (`location`, ...) are visible to
// `${part:option}` references, so that annotate --json, query and check resolve what
// install resolves. Python recipes give the options recorded by the last install that
// constructed them (no process is started here).
import { isBuildoutError } from '../errors.js';
import type { Buildout, LoadOptions } from '../config/types.js';
import { loadConfiguration, recipeSeam, settled, type RecipeSeam } from '../install/recipe-seam.js';
import { resolvePythonPlugins } from '../install/python-recipes/plugin-factory.js';
import type { ExtensionCommand } from '../extensions/types.js';
import type { Logger } from '../log.js';

export interface ResolvedConfiguration {
  buildout: Buildout;
  seam: RecipeSeam;
}

/**
 * Loads `load` with the recipes wired in and materialises `sections` (default: every
 * section); a section that fails is left for the caller to report (its error comes again
 * on access).
 */
export async function loadResolvedWith(load: LoadOptions, sections?: readonly string[], extensions?: { command: ExtensionCommand; log: Logger }): Promise<ResolvedConfiguration> {
  const seam = recipeSeam(load.cwd, resolvePythonPlugins(load.cwd));
  const b = await loadConfiguration(load, seam);
  // built-in extensions change the configuration as they do for install (Python ones run on install only)
  if (extensions && (b.buildout.extensions ?? '').trim()) {
    const { loadExtensions } = await import('../extensions/loader.js');
    await loadExtensions(b, extensions);
  }
  await settled(() => {
    for (const s of sections ?? b.sectionNames()) {
      if (!b.hasSection(s)) continue;
      try {
        b.section(s);
      } catch (e) {
        if (!isBuildoutError(e)) throw e;
      }
    }
  });
  return { buildout: b, seam };
}

/** Loads `load` and returns the Buildout with every part's computed options in its sections. */
export async function loadResolved(load: LoadOptions, sections?: readonly string[], extensions?: { command: ExtensionCommand; log: Logger }): Promise<Buildout> {
  return (await loadResolvedWith(load, sections, extensions)).buildout;
}
