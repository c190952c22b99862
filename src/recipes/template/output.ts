// What a collective.recipe.template part writes: the template (`inline`, `input = inline:…`,
// an input file or a file:// url) read and rendered, the output path and its mode. Shared
// by the recipe and by its previewer (`buildout plan`, the check before a part is set aside).
import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildoutError } from '../../errors.js';
import type { BuildoutView } from '../types.js';
import { renderTemplate } from './render.js';
import type { TemplateOptions } from './schema.js';

export interface TemplateOutput {
  /** absolute path of the output */
  output: string;
  content: Buffer;
  /** explicit `mode`, else the input file's mode, else undefined (the default for new files) */
  mode: number | undefined;
}

export function templateOutput(o: TemplateOptions, part: string, own: Readonly<Record<string, string>>, buildout: BuildoutView): TemplateOutput {
  const directory = buildout.options.directory ?? '.';
  const abs = (p: string) => (isAbsolute(p) ? p : join(directory, p));
  let text: string;
  let mode: number | undefined;
  let source = 'inline';
  if (o.inline !== undefined) {
    text = o.inline.trimStart();
  } else if (o.input !== undefined && o.input.startsWith('inline:')) {
    text = o.input.slice('inline:'.length).trimStart();
  } else {
    const file = o.input !== undefined ? abs(o.input) : urlFile(o.url!, part);
    source = file;
    // section and option let the CLI point at the cfg line that names the file
    if (!existsSync(file)) {
      const option = o.input !== undefined ? 'input' : 'url';
      throw new BuildoutError('TemplateError', `The template ${file} (${option} of part ${part}) does not exist.`, {
        section: part,
        option,
        hint: o.input !== undefined && !isAbsolute(o.input) ? `A relative input is taken from the buildout directory (${directory}).` : undefined,
      });
    }
    text = readFileSync(file).toString(o['input-encoding']);
    mode = statSync(file).mode & 0o7777;
  }
  const result = renderTemplate({ text, part, own, buildout, source });
  return { output: abs(o.output), content: Buffer.from(result, o['output-encoding']), mode: o.mode ?? mode };
}

/** True when the template is a URL the recipe refuses (only file:// is read). */
export function isRemoteTemplate(o: TemplateOptions): boolean {
  return o.inline === undefined && o.input === undefined && !o.url?.startsWith('file://');
}

function urlFile(url: string, part: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  throw new BuildoutError('TemplateError', `Only file:// URLs are supported for url, got '${url}'.`, { section: part, option: 'url', hint: 'Download the template into the buildout and use input = <path>.' });
}
