// plone.recipe.zeoserver's zeo.conf, as src/recipes/zeoserver/index.ts writes it.
import { buildZeoView } from '../../recipes/zeoserver/context.js';
import type { ZeoOptions } from '../../recipes/zeoserver/schema.js';
import type { PreviewFile, PreviewInput } from './types.js';

export async function previewZeo(p: PreviewInput): Promise<PreviewFile[]> {
  const o = { ...p.raw, ...(p.options as ZeoOptions) } as ZeoOptions;
  const b = p.buildout.options;
  const view = buildZeoView({ part: p.part, options: o, buildoutDirectory: b.directory!, partsDirectory: b['parts-directory']! });
  return [{ path: view.zeoConfPath, content: Buffer.from(view.zeoConf, 'utf8') }];
}
