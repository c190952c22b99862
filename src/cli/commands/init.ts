// `buildout init`: without --server, zc.buildout's own command (an empty buildout.cfg, or
// a `py` part with the requirements given, then installed); with --server, a Zope or
// Plone buildout that runs at once (src/init/site-files.ts). Existing files are never
// overwritten without --force, and nothing is written unless every file can be.
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { BuildoutError } from '../../errors.js';
import type { CommandContext } from '../context.js';

export async function run(ctx: CommandContext): Promise<number> {
  const configFile = resolve(ctx.cwd, ctx.load.configFile ?? 'buildout.cfg');
  const server = typeof ctx.flags.server === 'string' ? ctx.flags.server : undefined;
  if (!server) {
    const stray = ['plone', 'zeo', 'http-address'].filter((k) => ctx.flags[k] !== undefined);
    if (stray.length) throw new BuildoutError('UsageError', `${stray.map((k) => `--${k}`).join(', ')} ${stray.length > 1 ? 'go' : 'goes'} with --server.`, { hint: 'E.g. `buildout init --server waitress --plone`.' });
    return zcInit(ctx, configFile);
  }
  if (ctx.args.length) throw new BuildoutError('UsageError', `init --server takes no requirements (got ${ctx.args.join(' ')}).`, { hint: 'Add eggs to [instance] eggs in the buildout.cfg it writes.' });
  const [{ siteFiles, DEFAULT_ADDRESS }, { packageVersion }, { writeFileAtomic }] = await Promise.all([import('../../init/site-files.js'), import('../../package-root.js'), import('../../state/atomic-write.js')]);
  const address = checkAddress(typeof ctx.flags['http-address'] === 'string' ? ctx.flags['http-address'] : DEFAULT_ADDRESS);
  const words = ['buildout', 'init', '--server', server, ...(ctx.flags.plone ? ['--plone'] : []), ...(ctx.flags.zeo ? ['--zeo'] : [])];
  const { files, password } = await siteFiles({
    server: server as Parameters<typeof siteFiles>[0]['server'],
    plone: ctx.flags.plone === true,
    zeo: ctx.flags.zeo === true,
    address,
    configName: basename(configFile),
    command: words.join(' '),
    tool: `buildout-ts ${packageVersion()}`,
  });
  const directory = dirname(configFile);
  refuseExisting(files.map((f) => join(directory, f.path)), ctx.flags.force === true);
  ctx.out(`Creating '${configFile}'.\n`);
  for (const f of files) {
    const target = join(directory, f.path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileAtomic(target, f.content, f.mode);
    if (target !== configFile) ctx.log.info(`Wrote ${f.path}`);
  }
  ctx.out(`The site's user: admin, password ${password} (in ${basename(configFile)}, [instance] user; it is not shown again).\n`);
  ctx.out(`Next: buildout${ctx.load.configFile ? ` -c ${ctx.load.configFile}` : ''}, then ${ctx.flags.zeo ? 'bin/zeo start && ' : ''}bin/instance fg to serve http://${address}/\n`);
  if (server === 'granian') {
    const { ENTRY_POINTS } = await import('../../python/bundled.js');
    if (!/^granian\s*=/m.test(ENTRY_POINTS)) ctx.log.warn('This buildout-ts cannot serve granian yet: bin/instance will not find egg:buildout-ts-wsgi#granian until a version that has it.');
  }
  return 0;
}

// --- internal ---

// zc.buildout's init: `Creating '<file>'.`, the file, then its directories (and, with
// requirements, an install of the `py` part).
async function zcInit(ctx: CommandContext, configFile: string): Promise<number> {
  refuseExisting([configFile], ctx.flags.force === true);
  const [{ zcInitConfig }, { writeFileAtomic }] = await Promise.all([import('../../init/zc-init.js'), import('../../state/atomic-write.js')]);
  const { text, paths } = zcInitConfig(ctx.args);
  ctx.out(`Creating '${configFile}'.\n`);
  writeFileAtomic(configFile, text);
  // zc.buildout makes the last folder only (and fails without its parent): we make the parents too
  for (const p of paths) makeDirectory(resolve(ctx.cwd, p));
  if (ctx.args.length) return (await import('./install.js')).run({ ...ctx, args: [], flags: {} });
  const { loadBuildout } = await import('../../config/resolve.js');
  const bo = await loadBuildout(ctx.load);
  for (const name of ['bin-directory', 'parts-directory', 'develop-eggs-directory']) {
    const d = bo.buildout[name];
    if (!d || existsSync(d)) continue;
    ctx.log.info(`Creating directory '${d}'.`);
    makeDirectory(d);
  }
  return 0;
}

function makeDirectory(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new BuildoutError('WriteFailed', `Could not create the directory ${dir}: ${(e as Error).message}`);
  }
}

function refuseExisting(files: string[], force: boolean): void {
  const existing = files.filter((f) => existsSync(f));
  if (existing.length === 0 || force) return;
  throw new BuildoutError('FileExists', existing.length === 1 ? `'${existing[0]}' already exists.` : `These files already exist: ${existing.map((f) => `'${f}'`).join(', ')}.`, {
    hint: 'Nothing was written. Use --force to overwrite, or -c to name another configuration file.',
  });
}

function checkAddress(address: string): string {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(address.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
    throw new BuildoutError('UsageError', `--http-address must be HOST:PORT (got '${address}').`, { hint: 'E.g. --http-address 127.0.0.1:8080.' });
  }
  return address.trim();
}
