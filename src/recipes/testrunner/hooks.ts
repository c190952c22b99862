// The plugin of zc.recipe.testrunner: the options its constructor sets (and those
// of the zc.recipe.egg it builds on), in the same order, so that `${test:script}`
// and `${test:location}` resolve and .installed.cfg records what zc.buildout records.
import { createHash } from 'node:crypto';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';

/**
 * A computed option of ours: a digest of `[buildout] develop`. Which eggs are develop
 * eggs decides the test paths (a source directory or site-packages), so a changed develop
 * list (mr.developer activating a checkout) rewrites the script; zc.buildout gets there
 * by calling update() on every run, which would cost a process on every no-op run.
 */
export const DEVELOP_DIGEST_OPTION = '__buildout_ts_develop_digest__';

const hooks = {
  name: 'zc.recipe.testrunner',
  load: async () => (await import('./index.js')).default,
  buildoutOptions: ['relative-paths'],
  computeOptions({ part, options, buildout }: ComputeOptionsInput): Record<string, string> {
    const b = buildout.options;
    const out: Record<string, string> = {};
    out.script = pyJoin(b['bin-directory'] ?? pyJoin(b.directory ?? '.', 'bin'), options.script ?? part);
    if (!options['working-directory']) out.location = pyJoin(b['parts-directory'] ?? pyJoin(b.directory ?? '.', 'parts'), part);
    // zc.recipe.egg's Eggs: find-links and index as used, the egg directories
    const links = (options['find-links'] ?? b['find-links'] ?? '').split(/\s+/).filter(Boolean);
    if (links.length) out['find-links'] = links.join('\n');
    const index = options.index ?? b.index;
    if (index !== undefined) out.index = index;
    if (b['eggs-directory'] !== undefined) out['eggs-directory'] = out._e = b['eggs-directory'];
    if (b['develop-eggs-directory'] !== undefined) out['develop-eggs-directory'] = out._d = b['develop-eggs-directory'];
    // its Scripts: the bin directory, extra paths made absolute, the base of relative paths
    if (b['bin-directory'] !== undefined) out['bin-directory'] = out._b = b['bin-directory'];
    const extra = extraPaths(options['extra-paths'], b.directory ?? '.');
    if (extra.length) out['extra-paths'] = extra.join('\n');
    if (relativePaths(options, b) === 'true') out['buildout-directory'] = b.directory ?? '.';
    const develop = (b.develop ?? '').split(/\s+/).filter(Boolean).sort().join('\n');
    out[DEVELOP_DIGEST_OPTION] = createHash('sha256').update(develop).digest('hex').slice(0, 16);
    return out;
  },
} satisfies RecipePlugin;

export default hooks;

/** `extra-paths` lines, each joined to the buildout directory (an absolute one stays). */
export function extraPaths(value: string | undefined, directory: string): string[] {
  return (value ?? '')
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => pyJoin(directory, p));
}

/** Python's os.path.join of two parts: no normalisation, an absolute second part wins. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  return a === '' || a.endsWith('/') ? a + b : `${a}/${b}`;
}

/** The part's `relative-paths`, else the buildout's, as written ('false' by default). */
export function relativePaths(options: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): string {
  return options['relative-paths'] ?? b['relative-paths'] ?? 'false';
}
