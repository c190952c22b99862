// buildout-ts:mkdir — a trivial recipe for the lifecycle tests and for users who
// need empty directories (var/log, var/filestorage): creates each directory of
// `paths` (relative to the buildout directory) that does not exist yet.
import { mkdirSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { BuildoutError } from '../../errors.js';
import { defineRecipe } from '../types.js';

const schema = z.object({
  paths: z
    .string()
    .transform((v) => v.split(/\s+/).filter(Boolean))
    .pipe(z.array(z.string()).min(1, 'lists no directory')),
  location: z.string().optional(),
});

export default defineRecipe({
  name: 'buildout-ts:mkdir',
  schema,
  async install(ctx) {
    const base = ctx.buildout.options.directory ?? '.';
    const created: string[] = [];
    for (const p of ctx.options.paths) {
      const abs = resolve(base, p);
      const kind = kindOf(abs);
      if (kind === 'dir') continue;
      if (kind === 'other') {
        throw new BuildoutError('InvalidOption', `${p} exists and is not a directory`, { section: ctx.part, option: 'paths' });
      }
      // Parents are made as needed but only the directory asked for is recorded: a
      // parent such as var/ may be shared with other parts and must survive an uninstall.
      mkdirSync(abs, { recursive: true });
      ctx.created(abs);
      created.push(abs);
      ctx.log.info(`${ctx.part}: Creating directory ${p}`);
    }
    return created;
  },
});

function kindOf(path: string): 'dir' | 'other' | 'none' {
  try {
    return statSync(path).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'none';
  }
}
