// plone.recipe.zeoserver, built in: parts/<part>/etc/zeo.conf, the control
// script bin/<part> (fg/start/stop/restart/status/kill/logtail around ZEO's runzeo),
// bin/zeopack and bin/repozo: thin callers of our Python package (buildout_ts_wsgi,
// installed into the environment here as for zope2instance). ZEO itself comes from
// the buildout's Python environment (eggs; default ZEO).
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import { installWsgiSupport } from '../../python/bundled.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { writeFileAtomic } from '../zope2instance/files.js';
import { buildZeoView } from './context.js';
import { zeoSchema, type ZeoOptions } from './schema.js';
import { controlScriptText, repozoText, runzeoText, zeopackText, type ZeoScriptInput } from './scripts.js';

/**
 * Requirements: the `eggs` lines plus ZEO (the Python recipe always puts its
 * own distribution, which needs ZEO, on the scripts' path). `eggs =` (empty)
 * asks for nothing at all — for machines without a package index.
 */
export function zeoRequirements(options: ZeoOptions): string[] {
  if (options.eggs === undefined) return ['ZEO'];
  const eggs = options.eggs.split('\n').map((l) => l.trim()).filter(Boolean);
  if (!eggs.length) return [];
  return eggs.some((e) => /^ZEO\b/i.test(e)) ? eggs : [...eggs, 'ZEO'];
}

export default defineRecipe<ZeoOptions>({
  name: 'plone.recipe.zeoserver',
  schema: zeoSchema,
  requirements: (ctx) => zeoRequirements(ctx.options),
  install: installZeo,
});

async function installZeo(ctx: RecipeContext<ZeoOptions>): Promise<string[]> {
  const o = { ...ctx.raw, ...ctx.options } as ZeoOptions;
  const b = ctx.buildout.options;
  const view = buildZeoView({ part: ctx.part, options: o, buildoutDirectory: b.directory!, partsDirectory: b['parts-directory']! });
  for (const w of view.warnings) ctx.log.warn(w);
  const env = await ctx.python();
  await installWsgiSupport(env);
  const binDir = b['bin-directory']!;
  rmSync(view.location, { recursive: true, force: true });
  ctx.created(view.location);
  const created = [view.location];
  try {
    for (const d of [...view.dirs, join(view.location, 'etc'), join(view.location, 'var'), join(view.location, 'log')]) mkdirSync(d, { recursive: true });
    writeFileAtomic(view.zeoConfPath, view.zeoConf);
    const input: ZeoScriptInput = {
      python: env.python,
      part: ctx.part,
      view,
      extraPaths: (o['extra-paths'] ?? '').split('\n').map((l) => l.trim()).filter(Boolean),
      initialization: o.initialization ?? '',
    };
    const script = (path: string, text: string) => {
      writeFileAtomic(path, text, 0o755);
      created.push(path);
      ctx.created(path);
    };
    writeFileAtomic(join(view.location, 'bin', 'runzeo'), runzeoText(input), 0o755);
    script(join(binDir, ctx.part), controlScriptText(input));
    const zeopack = o.zeopack;
    if (zeopack === undefined) script(join(binDir, o['zeopack-script-name'] || 'zeopack'), zeopackText(input));
    else if (zeopack && existsSync(zeopack)) script(join(binDir, o['zeopack-script-name'] || 'zeopack'), repozoText(input, zeopack, `runs the custom zeopack script ${basename(zeopack)}`));
    const repozo = o.repozo;
    if (repozo && !existsSync(repozo)) throw new BuildoutError('UserError', `custom repozo script not found: ${repozo}`, { section: ctx.part, option: 'repozo' });
    // `repozo =` (empty) means no script, as the recipe documents
    if (repozo !== '') script(join(binDir, o['repozo-script-name'] || 'repozo'), repozoText(input, repozo));
  } catch (e) {
    rmSync(view.location, { recursive: true, force: true });
    throw e;
  }
  return created;
}
