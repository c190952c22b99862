// The engine's entry point: load → merge → defaults → a Buildout whose sections
// are materialised lazily (macros, then substitution), as zc.buildout does.
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve as resolvePath } from 'node:path';
import { BuildoutError, COMMAND_LINE_VALUE, DEFAULT_VALUE } from '../errors.js';
import type { Assignment, Buildout, LoadOptions } from './types.js';
import type { Opt, RawConfig } from './model.js';
import { loadMerged, resolveRef, socketTimeout, withDownloadPolicy } from './load.js';
import type { DownloadPolicy, LoadContext } from './load.js';
import { mergeConfig } from './merge.js';
import { abiTagOf, addVersionDefaults, absolutizeCacheDirectories, defaultBuildoutSection, pseudoOpt } from './buildout-defaults.js';
import { sortAssignments } from './assignments.js';
import { findOnPath } from './which.js';
import { BuildoutModel } from './buildout.js';
import { settle } from './pending.js';

export async function loadBuildout(opts: LoadOptions): Promise<Buildout> {
  const cwd = opts.cwd;
  const env = opts.env ?? process.env;
  const configFile = resolvePath(cwd, opts.configFile ?? 'buildout.cfg');
  if (!existsSync(configFile) || statSync(configFile).isDirectory()) {
    throw new BuildoutError('FileNotFound', `Couldn't open ${configFile}`, {
      hint: opts.configFile ? 'Check the path given with -c (it is relative to the current directory).' : 'Run buildout in the directory holding buildout.cfg, or name the file with -c FILE.',
    });
  }
  const assignments = sortAssignments(opts.assignments ?? []);
  const clExtends = assignments.filter((a) => a.section === 'buildout' && a.option === 'extends');
  const clLayer = assignmentLayer(assignments.filter((a) => !(a.section === 'buildout' && a.option === 'extends')));

  // The interpreter that conditions describe: executable from the command line or the user defaults, else python3 on PATH
  const clBuildout = clLayer.get('buildout')?.opts;
  let condExecutable = clBuildout?.get('executable')?.value;
  const urlsOverride: Partial<DownloadPolicy> = {};
  const clOffline = clBuildout?.get('offline')?.value;
  const clNewest = clBuildout?.get('newest')?.value;
  if (clOffline === 'true' || clOffline === 'false') urlsOverride.offline = clOffline === 'true';
  if (clNewest === 'true' || clNewest === 'false') urlsOverride.newest = clNewest === 'true';
  const clTimeout = socketTimeout(clBuildout?.get('socket-timeout')?.value);
  if (clTimeout !== undefined) urlsOverride.timeoutSeconds = clTimeout;
  const clCache = clBuildout?.get('extends-cache')?.value;
  if (clCache && !clCache.includes('${')) urlsOverride.cacheDir = resolvePath(cwd, clCache);
  let ctx: LoadContext = {
    cwd,
    files: [],
    parsed: new Map(),
    notices: [],
    executable: async () => (condExecutable ??= findOnPath('python3', env.PATH) ?? 'python3'),
    urls: { offline: false, newest: true, ...urlsOverride },
    urlsOverride,
  };

  const data: RawConfig = new Map([['buildout', defaultBuildoutSection(dirname(configFile))]]);
  let userDefaults: RawConfig | undefined;
  if (opts.userDefaults !== false) {
    const home = env.BUILDOUT_HOME || resolvePath(env.HOME || (await import('node:os')).homedir(), '.buildout');
    const userCfg = resolvePath(home, 'default.cfg');
    if (existsSync(userCfg)) {
      userDefaults = await loadMerged(ctx, userCfg);
      condExecutable ??= userDefaults.get('buildout')?.opts.get('executable')?.value;
      // the user defaults' download settings are the base for every download
      ctx = withDownloadPolicy(ctx, userDefaults, userCfg);
    }
  }
  // each top-level load (main file, command-line extends) carries the user defaults under its first leaf
  mergeConfig(data, await loadMerged({ ...ctx, userDefaults: { config: userDefaults } }, configFile));
  for (const a of clExtends) {
    for (const name of a.value.split(/\s+/).filter(Boolean)) {
      mergeConfig(data, await loadMerged({ ...ctx, userDefaults: { config: userDefaults } }, resolveRef(cwd, name), { file: COMMAND_LINE_VALUE }));
    }
  }
  mergeConfig(data, clLayer);

  addVersionDefaults(data);
  const bo = data.get('buildout')!;
  if (!bo.opts.has('executable')) bo.opts.set('executable', pseudoOpt(await defaultExecutable(condExecutable, env), DEFAULT_VALUE));
  absolutizeCacheDirectories(bo, cwd, env.HOME);
  // only a config that asks for ABI-tagged eggs needs the interpreter's facts for it
  let abiTag: string | undefined;
  if (bo.opts.get('abi-tag-eggs')?.value === 'true') abiTag = await abiTagFor(bo.opts.get('executable')!.value);
  const model = new BuildoutModel({ configFile, files: ctx.files, raw: data, ...(opts.recipes ? { recipes: opts.recipes } : {}), abiTag });
  model.notices.push(...ctx.notices);
  opts.onLoaded?.(model);
  // recipe modules are imported before anything materialises ([buildout] may reference a part)
  await opts.recipes?.prepare?.(recipeValues(data), bo.opts.get('directory')?.value ?? dirname(configFile));
  await settle(() => model.start());
  return model;
}

// The recipe values written in the configuration (raw: a recipe inherited through `<=` is
// written in its source section; a value built by substitution is left to PendingWork).
function recipeValues(data: RawConfig): string[] {
  const out = new Set<string>();
  for (const sec of data.values()) {
    const v = sec.opts.get('recipe')?.value.trim();
    if (v && !v.includes('${')) out.add(v);
  }
  return [...out];
}

/** Command-line assignments as the last config layer (`+=`/`-=` allowed); later ones win after sorting. */
function assignmentLayer(assignments: Assignment[]): RawConfig {
  const layer: RawConfig = new Map();
  const loc = { file: COMMAND_LINE_VALUE };
  for (const a of assignments) {
    let sec = layer.get(a.section);
    if (!sec) layer.set(a.section, (sec = { opts: new Map<string, Opt>(), loc }));
    const key = a.op === '+=' ? `${a.option} +` : a.op === '-=' ? `${a.option} -` : a.option;
    sec.opts.set(key, { value: a.value, loc, history: [{ op: a.op, value: a.value, loc }] });
  }
  return layer;
}

async function abiTagFor(executable: string): Promise<string | undefined> {
  if (executable.includes('${')) return undefined;
  const { getPythonFacts } = await import('../python/facts.js');
  return abiTagOf(await getPythonFacts(executable));
}

/** zc.buildout's default is the Python running it; ours is that interpreter's sys.executable. */
async function defaultExecutable(condExecutable: string | undefined, env: Record<string, string | undefined>): Promise<string> {
  const exe = condExecutable ?? findOnPath('python3', env.PATH) ?? 'python3';
  try {
    const { getPythonFacts } = await import('../python/facts.js');
    return (await getPythonFacts(exe)).executable;
  } catch {
    // no usable interpreter: keep the path; installing will report the real problem
    return exe;
  }
}
