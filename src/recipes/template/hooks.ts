// Resolve-time hooks of collective.recipe.template. The Python recipe renders
// its template in its constructor, so the sections the template refers to are
// materialised (and installed) first, and a changed referenced value shows up
// at the next run. We do the same: render at resolve time and record a digest
// of the result as a computed option, so the part's signature changes exactly
// when its output would. The input file itself is an input of the part too.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { ComputeOptionsInput, RecipePlugin } from '../types.js';
import { renderTemplate } from './render.js';

/** The computed option holding the digest of the rendered output. */
export const DIGEST_OPTION = '__buildout_ts_template_digest__';

const hooks = {
  name: 'collective.recipe.template',
  load: async () => (await import('./index.js')).default,
  computeOptions(input): Record<string, string> {
    const file = inputFile(input);
    if (!file || !existsSync(file)) return {};
    const text = readFileSync(file, 'utf8');
    const rendered = renderTemplate({ text, part: input.part, own: input.options, buildout: input.buildout, source: file });
    return { [DIGEST_OPTION]: createHash('sha256').update(rendered).digest('hex').slice(0, 20) };
  },
  inputFiles(input) {
    const file = inputFile(input);
    return file ? [file] : [];
  },
} satisfies RecipePlugin;

export default hooks;

// --- internal ---

function inputFile({ options, buildout }: ComputeOptionsInput): string | undefined {
  const input = options.input?.trim();
  if (!input || input.startsWith('inline:')) return undefined;
  return isAbsolute(input) ? input : join(buildout.options.directory ?? '.', input);
}
