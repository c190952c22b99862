// collective.recipe.template's output, as src/recipes/template/index.ts writes it.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildoutError } from '../../errors.js';
import { renderTemplate } from '../../recipes/template/render.js';
import type { TemplateOptions } from '../../recipes/template/schema.js';
import type { PreviewFile, PreviewInput } from './types.js';

export async function previewTemplate(p: PreviewInput): Promise<PreviewFile[]> {
  const o = p.options as TemplateOptions;
  const directory = p.buildout.options.directory ?? '.';
  const abs = (f: string) => (isAbsolute(f) ? f : join(directory, f));
  let text: string;
  let mode: number | undefined;
  let source = 'inline';
  if (o.inline !== undefined) text = o.inline.trimStart();
  else if (o.input !== undefined && o.input.startsWith('inline:')) text = o.input.slice('inline:'.length).trimStart();
  else {
    const file = o.input !== undefined ? abs(o.input) : o.url?.startsWith('file://') ? fileURLToPath(o.url) : undefined;
    // a non-file URL is refused by the recipe itself when it runs
    if (!file) return [];
    if (!existsSync(file)) {
      const option = o.input !== undefined ? 'input' : 'url';
      throw new BuildoutError('TemplateError', `The template ${file} (${option} of part ${p.part}) does not exist.`, {
        section: p.part,
        option,
        hint: o.input !== undefined && !isAbsolute(o.input) ? `A relative input is taken from the buildout directory (${directory}).` : undefined,
      });
    }
    source = file;
    text = readFileSync(file).toString(o['input-encoding']);
    mode = statSync(file).mode & 0o7777;
  }
  const rendered = renderTemplate({ text, part: p.part, own: p.raw, buildout: p.buildout, source });
  return [{ path: abs(o.output), content: Buffer.from(rendered, o['output-encoding']), ...(o.mode ?? mode ? { mode: o.mode ?? mode } : {}), ...(o.overwrite ? {} : { keepExisting: true }) }];
}
