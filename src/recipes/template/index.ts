// collective.recipe.template: writes `output` from an `input` file, `inline`
// text or a file:// `url`, substituting buildout options (see render.ts).
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildoutError } from '../../errors.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { renderTemplate } from './render.js';
import { templateSchema, type TemplateOptions } from './schema.js';
import { writeFileAtomic } from '../../state/atomic-write.js';

interface Rendered {
  output: string;
  content: Buffer;
  /** explicit `mode`, else the input file's mode, else the default for new files */
  mode: number | undefined;
}

function render(ctx: RecipeContext<TemplateOptions>): Rendered {
  const o = ctx.options;
  const directory = ctx.buildout.options.directory ?? '.';
  const abs = (p: string) => (isAbsolute(p) ? p : join(directory, p));
  let text: string;
  let mode: number | undefined;
  let source = 'inline';
  if (o.inline !== undefined) {
    text = o.inline.trimStart();
  } else if (o.input !== undefined && o.input.startsWith('inline:')) {
    text = o.input.slice('inline:'.length).trimStart();
  } else {
    const file = o.input !== undefined ? abs(o.input) : urlFile(o.url!, ctx.part);
    source = file;
    // section and option let the CLI point at the cfg line that names the file
    if (!existsSync(file)) {
      const option = o.input !== undefined ? 'input' : 'url';
      throw new BuildoutError('TemplateError', `The template ${file} (${option} of part ${ctx.part}) does not exist.`, {
        section: ctx.part,
        option,
        hint: o.input !== undefined && !isAbsolute(o.input) ? `A relative input is taken from the buildout directory (${directory}).` : undefined,
      });
    }
    text = readFileSync(file).toString(o['input-encoding']);
    mode = statSync(file).mode & 0o7777;
  }
  const result = renderTemplate({ text, part: ctx.part, own: ctx.raw, buildout: ctx.buildout, source });
  return { output: abs(o.output), content: Buffer.from(result, o['output-encoding']), mode: o.mode ?? mode };
}

async function install(ctx: RecipeContext<TemplateOptions>): Promise<string[]> {
  const r = render(ctx);
  if (!ctx.options.overwrite && existsSync(r.output)) return [];
  const created = makeParents(dirname(r.output));
  ctx.created(...created);
  writeAtomic(r);
  // with overwrite = false the file is the user's after the first run: not recorded, never removed
  if (ctx.options.overwrite) {
    ctx.created(r.output);
    created.push(r.output);
  }
  return created;
}

export default defineRecipe({
  name: 'collective.recipe.template',
  schema: templateSchema,
  install,
  /** Rewrites the output only when its content changed (keeps the mtime otherwise). */
  async update(ctx) {
    const r = render(ctx);
    let same = false;
    try {
      same = readFileSync(r.output).equals(r.content);
    } catch {
      same = false;
    }
    if (same) return [];
    return install(ctx);
  },
});

// --- internal ---

function urlFile(url: string, part: string): string {
  if (url.startsWith('file://')) return fileURLToPath(url);
  throw new BuildoutError('TemplateError', `Only file:// URLs are supported for url, got '${url}'.`, { section: part, option: 'url', hint: 'Download the template into the buildout and use input = <path>.' });
}

// Creates missing parent directories, returning those it created (outermost first).
function makeParents(dir: string): string[] {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) mkdirSync(d);
  return missing;
}

function writeAtomic(r: Rendered): void {
  writeFileAtomic(r.output, r.content, r.mode);
}
