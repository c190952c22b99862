// collective.recipe.template: writes `output` from an `input` file, `inline`
// text or a file:// `url`, substituting buildout options (see render.ts).
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { defineRecipe, type RecipeContext } from '../types.js';
import { templateOutput, type TemplateOutput } from './output.js';
import { templateSchema, type TemplateOptions } from './schema.js';
import { writeFileAtomic } from '../../state/atomic-write.js';

function render(ctx: RecipeContext<TemplateOptions>): TemplateOutput {
  return templateOutput(ctx.options, ctx.part, ctx.raw, ctx.buildout);
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

function writeAtomic(r: TemplateOutput): void {
  writeFileAtomic(r.output, r.content, r.mode);
}
