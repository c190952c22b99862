// zc.buildout's warning about options of [buildout] that nothing read (`Section `buildout`
// contains unused option(s): …`), given on every install once the parts' recipes are
// constructed. An option counts as used when zc.buildout itself reads it, when buildout-ts
// does, when a recipe constructor of the parts to install or a loaded extension reads it,
// or when a value materialised in this run refers to it (`${buildout:option}`).
import type { Buildout } from '../config/types.js';
import type { LoadedExtensions } from '../extensions/loader.js';
import type { PartInfo } from './resolve-parts.js';
import { unusedOptionsWarning } from './options.js';

/**
 * What zc.buildout 6.0.1 reads of [buildout] on install (its defaults included), found by
 * running it on a [buildout] holding many candidate options and no part: every other
 * option it reported unused (e.g. `eggs`, `relative-paths`, `include-site-packages`,
 * `unzip`, `sources`, `auto-checkout` without mr.developer).
 */
export const ZC_BUILDOUT_READS: readonly string[] = [
  'abi-tag-eggs', 'allow-hosts', 'allow-picked-versions', 'allow-unknown-extras', 'bin-directory', 'develop',
  'develop-eggs-directory', 'directory', 'download-cache', 'eggs-directory', 'eggs-directory-version', 'executable',
  'extends', 'extends-cache', 'extensions', 'find-links', 'index', 'install-from-cache', 'installed', 'log-format',
  'log-level', 'newest', 'offline', 'optional-extends', 'parts', 'parts-directory', 'prefer-final', 'python',
  'show-picked-versions', 'socket-timeout', 'update-versions-file', 'use-dependency-links', 'verbosity', 'versions',
];

/**
 * What buildout-ts reads of [buildout] besides: include-site-packages shapes its one
 * environment (zc.buildout leaves it to the recipes), frozen names the lock file.
 */
export const BUILDOUT_TS_READS: readonly string[] = ['include-site-packages', 'frozen'];

export interface BuildoutReaders {
  buildout: Buildout;
  parts: readonly PartInfo[];
  extensions: LoadedExtensions;
  /** what the Python recipes' constructors and the Python extensions read of [buildout] */
  pythonReads: readonly string[];
}

/** The options of [buildout] nothing read, sorted. */
export function unusedBuildoutOptions(x: BuildoutReaders): string[] {
  const used = new Set([...ZC_BUILDOUT_READS, ...BUILDOUT_TS_READS, ...x.pythonReads, ...(x.extensions.buildoutOptions ?? []), ...x.buildout.referencedOptions('buildout')]);
  for (const p of x.parts) for (const o of p.recipe.plugin.buildoutOptions ?? []) used.add(o);
  return Object.keys(x.buildout.annotated('buildout') ?? {})
    .filter((o) => !used.has(o))
    .sort();
}

/** zc.buildout's warning text, or undefined when every option was used. */
export function unusedBuildoutWarning(x: BuildoutReaders): string | undefined {
  return unusedOptionsWarning('buildout', unusedBuildoutOptions(x), new Set());
}
