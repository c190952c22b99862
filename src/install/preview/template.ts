// collective.recipe.template's output, as src/recipes/template/index.ts writes it.
import { isRemoteTemplate, templateOutput } from '../../recipes/template/output.js';
import type { TemplateOptions } from '../../recipes/template/schema.js';
import type { PreviewFile, PreviewInput } from './types.js';

export async function previewTemplate(p: PreviewInput): Promise<PreviewFile[]> {
  const o = p.options as TemplateOptions;
  // a non-file URL is refused by the recipe itself when it runs
  if (isRemoteTemplate(o)) return [];
  const r = templateOutput(o, p.part, p.raw, p.buildout);
  return [{ path: r.output, content: r.content, ...(r.mode ? { mode: r.mode } : {}), ...(o.overwrite ? {} : { keepExisting: true }) }];
}
