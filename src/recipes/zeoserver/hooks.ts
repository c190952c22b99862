// The plugin of plone.recipe.zeoserver (resolve time; no zod/handlebars): the options
// the recipe sets on its section.
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';

export function computeZeoOptions({ part, options, buildout }: ComputeOptionsInput): Record<string, string> {
  const b = buildout.options;
  const dir = b.directory ?? '';
  const out: Record<string, string> = {
    location: `${b['parts-directory'] ?? `${dir}/parts`}/${part}`,
    'bin-directory': b['bin-directory'] ?? `${dir}/bin`,
  };
  if ((options['relative-paths'] ?? b['relative-paths'] ?? 'false') === 'true') out['buildout-directory'] = dir;
  return out;
}

const hooks = { name: 'plone.recipe.zeoserver', load: async () => (await import('./index.js')).default, computeOptions: computeZeoOptions, buildoutOptions: ['relative-paths'] } satisfies RecipePlugin;
export default hooks;
