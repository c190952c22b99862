// plone.recipe.zope2instance, built in: a Zope instance in parts/<part> with
// zope.conf, wsgi.ini, site.zcml and package-includes, inituser, the part's
// interpreter, console scripts of the eggs and the control script bin/<part>.
// (Windows: the Python recipe skips the scripts there; we do not target it.)
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import { installWsgiSupport } from '../../python/bundled.js';
import { envMetadata, resolveDists } from '../../python/metadata.js';
import { normaliseName } from '../../python/requirements.js';
import { parseScriptsFilter, writeConsoleScripts } from '../../python/scripts.js';
import type { PythonEnv } from '../../python/types.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { buildInstanceView, type ZopeInstanceView } from './context.js';
import { renderControlScript } from './control-script.js';
import { ensureDir, writeFileAtomic } from './files.js';
import { INITUSER_MODE, inituserLine, splitUser } from './inituser.js';
import { pyAbspath } from './paths.js';
import { promptInitialUser } from './prompt.js';
import { instanceSchema, type InstanceOptions } from './schema.js';
import { renderWsgiIni, type TemplateFile } from './wsgi-ini.js';
import { buildWsgiVars } from './wsgi-vars.js';
import { SITE_ZCML, planZcml } from './zcml.js';
import { renderZopeConf } from './zope-conf.js';

type Ctx = RecipeContext<InstanceOptions>;

/** The `eggs` lines; zc.recipe.egg's default is the part name (use `eggs =` for none). */
export function eggsOf(part: string, options: InstanceOptions): string[] {
  const eggs = options.eggs ?? part;
  return eggs
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

export default defineRecipe<InstanceOptions>({
  name: 'plone.recipe.zope2instance',
  schema: instanceSchema,
  requirements: (ctx) => eggsOf(ctx.part, ctx.options),
  install: (ctx) => installInstance(ctx, false),
  /** Regenerates zope.conf, wsgi.ini, zcml and scripts; keeps inituser and var/. */
  update: (ctx) => installInstance(ctx, true),
});

async function installInstance(ctx: Ctx, update: boolean): Promise<string[]> {
  const o = { ...ctx.raw, ...ctx.options } as InstanceOptions;
  const bd = ctx.buildout.options;
  const directory = bd.directory!;
  if (o['port-base']) ctx.log.warn(`[${ctx.part}] port-base = ${o['port-base']} is written to zope.conf as the recipe does, but Zope's WSGI configuration has no such key: Zope will refuse to start`);
  if (o['zserver-threads'] !== undefined) ctx.log.warn(`[${ctx.part}] option "zserver-threads" is deprecated, please use "threads"`);
  const env = await ctx.python();
  await installWsgiSupport(env);
  const eggs = eggsOf(ctx.part, o);
  const hasCMFPlone = await workingSetHasCMFPlone(env, eggs);
  const view = buildInstanceView({
    part: ctx.part,
    options: o,
    buildoutDirectory: directory,
    binDirectory: bd['bin-directory']!,
    partsDirectory: bd['parts-directory']!,
    hasCMFPlone,
  });
  const location = view.location;
  const inituserPath = join(location, 'inituser');

  // ask before anything is deleted, so a missing answer leaves the old part intact
  let inituser: string | undefined;
  if (!update) {
    if (o.user) {
      const { name, password } = splitUser(o.user);
      inituser = inituserLine(name, password);
    } else if (!ctx.interactive) {
      throw new BuildoutError('UserError', `no initial Zope user: the option "user" is not set and there is no terminal to ask for one`, {
        section: ctx.part,
        option: 'user',
        hint: `add "user = admin:secret" (your name and password) to [${ctx.part}]`,
      });
    } else {
      const creds = await promptInitialUser();
      if (creds) inituser = inituserLine(creds.name, creds.password);
    }
    rmSync(location, { recursive: true, force: true });
  }
  ctx.created(location);
  const created: string[] = [location];
  try {
    if (!update) writeSkeleton(location, inituserPath, inituser);
    for (const d of view.dirs) ensureDir(d.path, d.mode);
    if (view.zopeConf) writeFileAtomic(join(location, 'etc', 'zope.conf'), await renderZopeConf(view.zopeConf));
    await writeWsgiIni(ctx, o, view, directory, env.facts.platform);
    writePackageIncludes(ctx.part, o, location);
    created.push(...(await writeScripts(ctx, o, view, env, directory, eggs)));
  } catch (e) {
    rmSync(location, { recursive: true, force: true });
    throw e;
  }
  return created;
}

function writeSkeleton(location: string, inituserPath: string, inituser: string | undefined): void {
  ensureDir(join(location, 'etc'));
  writeFileAtomic(join(location, 'bin', 'README.txt'), '');
  writeFileAtomic(join(location, 'var', 'README.txt'), '');
  writeFileAtomic(join(location, 'etc', 'site.zcml'), SITE_ZCML);
  if (inituser !== undefined) writeFileAtomic(inituserPath, inituser, INITUSER_MODE);
}

async function writeWsgiIni(ctx: Ctx, o: InstanceOptions, view: ZopeInstanceView, directory: string, platform: string): Promise<void> {
  const { vars, pipeline } = buildWsgiVars({ part: ctx.part, options: o, location: view.location, varDir: view.varDir });
  const result = await renderWsgiIni({
    part: ctx.part,
    options: o,
    vars,
    pipeline,
    template: readTemplate(ctx.part, 'wsgi-ini-template', o['wsgi-ini-template'], directory),
    loggingTemplate: readTemplate(ctx.part, 'wsgi-logging-ini-template', o['wsgi-logging-ini-template'], directory),
    platform,
  });
  for (const w of result.warnings) ctx.log.warn(w);
  writeFileAtomic(join(view.location, 'etc', 'wsgi.ini'), result.text);
}

function readTemplate(part: string, option: string, path: string | undefined, directory: string): TemplateFile | undefined {
  if (!path) return undefined;
  const file = isAbsolute(path) ? path : join(directory, path);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    throw new BuildoutError('UserError', `cannot read the ${option} ${file}: ${(e as Error).message}`, { section: part, option, cause: e });
  }
}

function writePackageIncludes(part: string, o: InstanceOptions, location: string): void {
  const plan = planZcml(part, o);
  if (plan.siteZcml !== undefined) {
    writeFileAtomic(join(location, 'etc', 'site.zcml'), plan.siteZcml);
    return;
  }
  if (!plan.packageIncludes) return;
  const dir = join(location, 'etc', 'package-includes');
  if (plan.wipe) rmSync(dir, { recursive: true, force: true });
  ensureDir(dir);
  for (const f of plan.files) writeFileAtomic(join(dir, f.name), f.content);
  for (const d of plan.dirs) if (!existsSync(d)) ensureDir(d);
}

async function writeScripts(ctx: Ctx, o: InstanceOptions, view: ZopeInstanceView, env: PythonEnv, directory: string, eggs: string[]): Promise<string[]> {
  const binDir = ctx.buildout.options['bin-directory']!;
  const extraPaths = (o['extra-paths'] ?? '').split(/\s+/).filter(Boolean).map((p) => pyAbspath(p, directory));
  const initialization = o.initialization ?? '';
  const relativePaths = o['buildout-directory'];
  const written: string[] = [];
  // the part's own interpreter, which the control script runs the server with
  await writeConsoleScripts(env, { binDir: join(view.location, 'bin'), eggs: [], interpreter: 'interpreter', initialization, extraPaths, relativePaths });
  const control = join(binDir, view.controlScript);
  writeFileAtomic(
    control,
    renderControlScript({
      python: env.python,
      sitePackages: env.sitePackages,
      part: ctx.part,
      buildoutDirectory: directory,
      location: view.location,
      zopeConf: view.zopeConfPath,
      wsgiIni: view.wsgiIniPath,
      clientHome: view.clientHome,
      pidFile: view.pidFile,
      eventLog: view.eventLog,
      umask: view.umask,
      initialization: initialization || undefined,
      extraPaths,
    }),
    0o755,
  );
  written.push(control);
  // `scripts =` (present but empty) suppresses zc.recipe.egg's part: no console scripts, no interpreter
  if (o.scripts !== '') {
    written.push(
      ...(await writeConsoleScripts(env, {
        binDir,
        eggs,
        scripts: parseScriptsFilter(o.scripts),
        interpreter: o.interpreter || undefined,
        initialization,
        arguments: o.arguments || undefined,
        extraPaths,
        entryPoints: (o['entry-points'] ?? '').split(/\s+/).filter(Boolean),
        dependentScripts: o['dependent-scripts'] === 'true',
        relativePaths,
      })),
    );
  }
  for (const p of written) ctx.created(p);
  return written;
}

/** Products.CMFPlone in the eggs' working set decides the temporary storage default. */
async function workingSetHasCMFPlone(env: PythonEnv, eggs: string[]): Promise<boolean> {
  const meta = await envMetadata(env);
  const key = normaliseName('Products.CMFPlone');
  try {
    return resolveDists(meta, eggs, true).some((d) => normaliseName(d.name) === key);
  } catch {
    // an egg that is not installed is reported by the scripts step; decide on what is there
    return key in meta.dists;
  }
}
