// plone.recipe.zope2instance, built in: a Zope instance in parts/<part> with
// zope.conf, wsgi.ini, site.zcml and package-includes, inituser, the part's
// interpreter, console scripts of the eggs and the control script bin/<part>.
// (Windows: the Python recipe skips the scripts there; we do not target it.)
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { BuildoutError, isBuildoutError } from '../../errors.js';
import { installWsgiSupport } from '../../python/bundled.js';
import { envMetadata, resolveDists, type EnvMetadata } from '../../python/metadata.js';
import { normaliseName } from '../../python/requirements.js';
import { parseScriptsFilter, writeConsoleScripts } from '../../python/scripts.js';
import type { PythonEnv } from '../../python/types.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { addressesClash, formatAddress, type TcpAddress } from '../net.js';
import { buildInstanceView, type ZopeInstanceView } from './context.js';
import { serverAddresses } from './listen.js';
import { declaresInstances, instanceMembers, type InstanceMember } from './members.js';
import { renderControlScript } from './control-script.js';
import { relStorageRequirements, relStorageWarnings, zopeConfHoldsPassword } from './relstorage.js';
import { ensureDir, writeFileAtomic } from './files.js';
import { INITUSER_MODE, inituserLine, splitUser } from './inituser.js';
import { pyAbspath } from './paths.js';
import { promptInitialUser } from './prompt.js';
import { instanceSchema, type InstanceOptions } from './schema.js';
import { renderWsgiIni, type TemplateFile } from './wsgi-ini.js';
import { buildWsgiVars } from './wsgi-vars.js';
import { SITE_ZCML, planZcml } from './zcml.js';
import { checkWithZope } from './conf-check.js';
import { renderZopeConf, renderZopeConfSources } from './zope-conf.js';

type Ctx = RecipeContext<InstanceOptions>;

/** The `eggs` lines; zc.recipe.egg's default is the part name (use `eggs =` for none). */
export function eggsOf(part: string, options: InstanceOptions): string[] {
  const eggs = options.eggs ?? part;
  return eggs
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/**
 * What the Python recipe's own distribution brings into the part's working set and the
 * generated files use at run time: the application (Zope), the storages (ZODB, ZEO), the
 * built-in server (waitress) and the default pipeline's translogger (Paste). Its other
 * requirements (zc.buildout, zc.recipe.egg, python-dotenv) serve only its own control script.
 */
export const RECIPE_REQUIREMENTS = ['Zope', 'ZODB', 'ZEO', 'waitress', 'Paste'];

/** The part's requirements: `eggs`, then the recipe's own that `eggs` does not name, then what `rel-storage` needs. */
export function instanceRequirements(part: string, options: InstanceOptions): string[] {
  const eggs = eggsOf(part, options);
  const named = new Set(eggs.map((e) => normaliseName(/^[A-Za-z0-9._-]+/.exec(e)?.[0] ?? e)));
  return [...eggs, ...RECIPE_REQUIREMENTS.filter((r) => !named.has(normaliseName(r))), ...relStorageRequirements(options['rel-storage'], eggs)];
}

export default defineRecipe<InstanceOptions>({
  name: 'plone.recipe.zope2instance',
  schema: instanceSchema,
  requirements: (ctx) => instanceRequirements(ctx.part, ctx.options),
  install: (ctx) => installInstance(ctx, false),
  /** Regenerates zope.conf, wsgi.ini, zcml and scripts; keeps inituser and var/. */
  update: (ctx) => installInstance(ctx, true),
});

async function installInstance(ctx: Ctx, update: boolean): Promise<string[]> {
  const o = { ...ctx.raw, ...ctx.options } as InstanceOptions;
  if (!declaresInstances(o)) return installOne(ctx, o, update, { consoleScripts: true });
  // `instances` (ours): each instance as if it were a part of its own name; the user is asked once
  const members = instanceMembers(ctx.part, o, ctx.buildout.options);
  const inituser = update ? undefined : await initialUser(ctx, o);
  const created: string[] = [];
  for (const [i, m] of members.entries()) {
    try {
      created.push(...(await installOne({ ...ctx, part: m.name }, m.options, update, { inituser, consoleScripts: i === 0 })));
    } catch (e) {
      // there is no section [instance2]: name the part, and the instance in the message
      if (!isBuildoutError(e) || e.section !== m.name) throw e;
      throw new BuildoutError(e.code, `${m.name}: ${e.message}`, { section: ctx.part, option: e.option, hint: e.hint, cause: e });
    }
  }
  checkListeners(ctx.part, o, members);
  return created;
}

interface OneInstance {
  /** the inituser line, when already known (asked once for all the instances of a part) */
  inituser?: string;
  /** write the eggs' console scripts and interpreter (once per part) */
  consoleScripts: boolean;
}

async function installOne(ctx: Ctx, o: InstanceOptions, update: boolean, one: OneInstance): Promise<string[]> {
  const bd = ctx.buildout.options;
  const directory = bd.directory!;
  if (o['zserver-threads'] !== undefined) ctx.log.warn(`[${ctx.part}] option "zserver-threads" is deprecated, please use "threads"`);
  const env = await ctx.python();
  await installWsgiSupport(env);
  const eggs = eggsOf(ctx.part, o);
  const meta = await envMetadata(env);
  const hasCMFPlone = workingSetHas(meta, eggs, 'Products.CMFPlone');
  const hasTempstorage = normaliseName('tempstorage') in meta.dists;
  const view = buildInstanceView({
    part: ctx.part,
    options: o,
    buildoutDirectory: directory,
    binDirectory: bd['bin-directory']!,
    partsDirectory: bd['parts-directory']!,
    hasCMFPlone,
    hasTempstorage,
  });
  for (const w of relStorageWarnings(ctx.part, o, hasCMFPlone)) ctx.log.warn(w);
  if (o['zodb-temporary-storage'] === undefined && !hasCMFPlone && !hasTempstorage && view.zopeConf) {
    ctx.log.debug(`[${ctx.part}] no temporary storage: tempstorage is not installed, and Zope refuses <temporarystorage> without it`);
  }
  // read the templates now: a missing one fails before anything is deleted
  const templates = {
    template: readTemplate(ctx.part, 'wsgi-ini-template', o['wsgi-ini-template'], directory),
    loggingTemplate: readTemplate(ctx.part, 'wsgi-logging-ini-template', o['wsgi-logging-ini-template'], directory),
  };
  const location = view.location;
  const inituserPath = join(location, 'inituser');

  // ask before anything is deleted, so a missing answer leaves the old part intact
  let inituser: string | undefined;
  if (!update) {
    inituser = one.inituser ?? (await initialUser(ctx, o));
    rmSync(location, { recursive: true, force: true });
  }
  ctx.created(location);
  const created: string[] = [location];
  try {
    if (!update) writeSkeleton(location, inituserPath, inituser);
    for (const d of view.dirs) ensureDir(d.path, d.mode);
    // a database password in it (the recipe: 0644 whatever it holds)
    if (view.zopeConf) writeFileAtomic(join(location, 'etc', 'zope.conf'), await renderZopeConf(view.zopeConf), zopeConfHoldsPassword(o) ? 0o600 : 0o644);
    await writeWsgiIni(ctx, o, view, templates, env.facts.platform);
    writePackageIncludes(ctx.part, o, location);
    created.push(...(await writeScripts(ctx, o, view, env, directory, eggs, one.consoleScripts)));
    await checkAgainstZope(ctx, o, view, env, directory);
  } catch (e) {
    rmSync(location, { recursive: true, force: true });
    throw e;
  }
  return created;
}

/** The inituser line from `user`, or asked on the terminal; fails without either. */
async function initialUser(ctx: Ctx, o: InstanceOptions): Promise<string | undefined> {
  if (o.user) {
    const { name, password } = splitUser(o.user);
    return inituserLine(name, password);
  }
  if (!ctx.interactive) {
    throw new BuildoutError('UserError', `no initial Zope user: the option "user" is not set and there is no terminal to ask for one`, {
      section: ctx.part,
      option: 'user',
      hint: `add "user = admin:secret" (your name and password) to [${ctx.part}]`,
    });
  }
  const creds = await promptInitialUser();
  return creds ? inituserLine(creds.name, creds.password) : undefined;
}

/**
 * The instances of one part must listen on addresses of their own: a wsgi-ini-template that
 * hard-codes the port (instead of %(http_address)s) would put them all on one.
 */
function checkListeners(part: string, o: InstanceOptions, members: InstanceMember[]): void {
  const seen: { name: string; ini: string; address: TcpAddress }[] = [];
  for (const m of members) {
    const ini = m.options.wsgi && !['on', 'true', '1'].includes(m.options.wsgi.toLowerCase()) ? m.options.wsgi : join(m.location, 'etc', 'wsgi.ini');
    let text: string;
    try {
      text = readFileSync(ini, 'utf8');
    } catch {
      continue; // wsgi = off: nothing served
    }
    for (const address of serverAddresses(text) ?? []) {
      const other = seen.find((s) => addressesClash(s.address, address));
      if (other) {
        throw new BuildoutError('UserError', `${other.name} and ${m.name} would both listen on ${formatAddress(address)} (${other.ini}, ${ini})`, {
          section: part,
          option: o['wsgi-ini-template'] ? 'wsgi-ini-template' : 'instances',
          hint: o['wsgi-ini-template'] ? 'the wsgi-ini-template must take the address from %(http_address)s (listen = %(http_address)s), not name a port' : 'give every instance its own port',
        });
      }
      seen.push({ name: m.name, ini, address });
    }
  }
}

function writeSkeleton(location: string, inituserPath: string, inituser: string | undefined): void {
  ensureDir(join(location, 'etc'));
  writeFileAtomic(join(location, 'bin', 'README.txt'), '');
  writeFileAtomic(join(location, 'var', 'README.txt'), '');
  writeFileAtomic(join(location, 'etc', 'site.zcml'), SITE_ZCML);
  if (inituser !== undefined) writeFileAtomic(inituserPath, inituser, INITUSER_MODE);
}

interface Templates {
  template: TemplateFile | undefined;
  loggingTemplate: TemplateFile | undefined;
}

async function writeWsgiIni(ctx: Ctx, o: InstanceOptions, view: ZopeInstanceView, templates: Templates, platform: string): Promise<void> {
  const { vars, pipeline } = buildWsgiVars({ part: ctx.part, options: o, location: view.location, varDir: view.varDir });
  const result = await renderWsgiIni({ part: ctx.part, options: o, vars, pipeline, ...templates, platform });
  for (const w of result.warnings) ctx.log.warn(w);
  writeFileAtomic(join(view.location, 'etc', 'wsgi.ini'), result.text);
}

function readTemplate(part: string, option: string, path: string | undefined, directory: string): TemplateFile | undefined {
  if (!path) return undefined;
  const file = templateFile(path, directory);
  try {
    return { file, text: readFileSync(file, 'utf8') };
  } catch (e) {
    const missing = (e as NodeJS.ErrnoException).code === 'ENOENT';
    throw new BuildoutError('UserError', missing ? `the ${option} ${file} does not exist` : `cannot read the ${option} ${file}: ${(e as Error).message}`, {
      section: part,
      option,
      cause: e,
      hint: missing && !isAbsolute(path) ? `a relative ${option} is taken from the buildout directory ${directory}; use \${buildout:directory}/... to be explicit` : undefined,
    });
  }
}

/** Loads what Zope will load (zope.conf, the served wsgi.ini) with the installed Zope and PasteDeploy. */
async function checkAgainstZope(ctx: Ctx, o: InstanceOptions, view: ZopeInstanceView, env: PythonEnv, directory: string): Promise<void> {
  const generatedIni = join(view.location, 'etc', 'wsgi.ini');
  const servedIni = view.wsgiIniPath;
  const zopeConf = view.zopeConf
    ? { path: view.zopeConfPath, sources: await renderZopeConfSources(view.zopeConf) }
    : existsSync(view.zopeConfPath) ? { path: view.zopeConfPath, option: 'zope-conf' } : undefined;
  const wsgiIni = servedIni === generatedIni
    ? { path: generatedIni, option: o['wsgi-ini-template'] ? 'wsgi-ini-template' : 'eggs', template: o['wsgi-ini-template'] ? templateFile(o['wsgi-ini-template'], directory) : undefined }
    : existsSync(servedIni) ? { path: servedIni, option: 'wsgi' } : undefined;
  const extraPaths = (o['extra-paths'] ?? '').split(/\s+/).filter(Boolean).map((p) => pyAbspath(p, directory));
  const zcml = planZcml(ctx.part, o);
  // the zcml items' packages (zcml-additional is the user's own XML: left to Zope)
  const included = zcml.files.filter((f) => !f.name.startsWith('999-')).map((f) => /<include package="([^"]+)"/.exec(f.content)?.[1]);
  const zcmlPackages = zcml.siteZcml === undefined ? [...new Set(included.filter((p): p is string => !!p))] : [];
  const notes = await checkWithZope({ part: ctx.part, env, cwd: directory, extraPaths, zopeConf, wsgiIni, zcmlPackages, options: o });
  for (const n of notes) ctx.log.debug(n);
}

function templateFile(path: string, directory: string): string {
  return isAbsolute(path) ? path : join(directory, path);
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

async function writeScripts(ctx: Ctx, o: InstanceOptions, view: ZopeInstanceView, env: PythonEnv, directory: string, eggs: string[], consoleScripts: boolean): Promise<string[]> {
  const binDir = ctx.buildout.options['bin-directory']!;
  const extraPaths = (o['extra-paths'] ?? '').split(/\s+/).filter(Boolean).map((p) => pyAbspath(p, directory));
  const initialization = o.initialization ?? '';
  const relativePaths = o['buildout-directory'];
  const written: string[] = [];
  // the part's own interpreter, which the control script runs the server with
  await writeConsoleScripts(env, { part: ctx.part, binDir: join(view.location, 'bin'), eggs: [], interpreter: 'interpreter', initialization, extraPaths, relativePaths });
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
  if (o.scripts !== '' && consoleScripts) {
    written.push(
      ...(await writeConsoleScripts(env, {
        part: ctx.part,
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

/** Whether a distribution is in the eggs' working set (Products.CMFPlone decides the temporary storage default). */
function workingSetHas(meta: EnvMetadata, eggs: string[], dist: string): boolean {
  const key = normaliseName(dist);
  try {
    return resolveDists(meta, eggs, true).some((d) => normaliseName(d.name) === key);
  } catch {
    // an egg that is not installed is reported by the scripts step; decide on what is there
    return key in meta.dists;
  }
}
