// The [buildout] section: defaults (spec §7), [versions] defaults (§3.6) and the
// directory rules (§6), which zc.buildout applies before and after substitution.
import { homedir } from 'node:os';
import { dirname, isAbsolute, resolve } from 'node:path';
import { BuildoutError, COMMAND_LINE_VALUE, COMPUTED_VALUE, DEFAULT_VALUE } from '../errors.js';
import type { Loc } from '../errors.js';
import type { Opt, RawConfig, RawSection } from './model.js';

/**
 * The zc.buildout version we stand in for (the reference of the differential test,
 * test/helpers/reference.ts). zc.buildout pins itself as `>=<its own version>`
 * so prefer-final never downgrades it.
 */
export const ZC_BUILDOUT_VERSION = '6.0.1';
export const ZC_RECIPE_EGG_MINIMUM = '>=2.0.6';

export const BUILDOUT_DEFAULTS: Readonly<Record<string, string>> = {
  'allow-hosts': '*',
  'allow-picked-versions': 'true',
  'allow-unknown-extras': 'false',
  'bin-directory': 'bin',
  'develop-eggs-directory': 'develop-eggs',
  'eggs-directory': 'eggs',
  'eggs-directory-version': 'v5',
  'find-links': '',
  'install-from-cache': 'false',
  installed: '.installed.cfg',
  'log-format': '',
  'log-level': 'INFO',
  newest: 'true',
  offline: 'false',
  'parts-directory': 'parts',
  'prefer-final': 'true',
  python: 'buildout',
  'show-picked-versions': 'false',
  'socket-timeout': '',
  'update-versions-file': '',
  'use-dependency-links': 'true',
};

/** Options that must be exactly `true` or `false`. */
// `newest` is checked only when not offline, as zc.buildout's `(not offline) and bool_option(newest)`
const BOOLEANS = ['offline', 'newest', 'allow-picked-versions', 'allow-unknown-extras', 'install-from-cache', 'prefer-final', 'show-picked-versions', 'use-dependency-links', 'abi-tag-eggs'];
const LOG_LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR', 'CRITICAL'];
const PSEUDO = new Set([DEFAULT_VALUE, COMPUTED_VALUE, COMMAND_LINE_VALUE]);

/** The starting [buildout] section: defaults and the computed directory. */
export function defaultBuildoutSection(directory: string): RawSection {
  const opts = new Map<string, Opt>();
  for (const [k, v] of Object.entries(BUILDOUT_DEFAULTS)) opts.set(k, pseudoOpt(v, DEFAULT_VALUE));
  opts.set('directory', pseudoOpt(directory, COMPUTED_VALUE));
  return { opts, loc: { file: DEFAULT_VALUE } };
}

export function pseudoOpt(value: string, file: string): Opt {
  const loc = { file };
  return { value, loc, history: [{ op: '=', value, loc }] };
}

/** `buildout:versions` defaults to `versions`; zc.buildout and zc.recipe.egg get minimum pins. */
export function addVersionDefaults(raw: RawConfig): void {
  const bo = raw.get('buildout')!;
  if (!bo.opts.has('versions')) {
    bo.opts.set('versions', pseudoOpt('versions', DEFAULT_VALUE));
    if (!raw.has('versions')) raw.set('versions', { opts: new Map(), loc: { file: DEFAULT_VALUE } });
  }
  const name = bo.opts.get('versions')!.value;
  if (!name) return; // `versions =` disables the default pins
  let sec = raw.get(name);
  if (!sec) {
    // zc.buildout fails here with a KeyError; a section of pins is the evident intent
    sec = { opts: new Map(), loc: { file: DEFAULT_VALUE } };
    raw.set(name, sec);
  }
  if (!sec.opts.has('zc.buildout')) sec.opts.set('zc.buildout', pseudoOpt('>=' + ZC_BUILDOUT_VERSION, DEFAULT_VALUE));
  if (!sec.opts.has('zc.recipe.egg')) sec.opts.set('zc.recipe.egg', pseudoOpt(ZC_RECIPE_EGG_MINIMUM, DEFAULT_VALUE));
}

/**
 * download-cache, eggs-directory and extends-cache: relative, `${`-free values are
 * made absolute against the directory of the file that set them (`directory` for
 * defaults and command-line values), with `~` expanded.
 */
export function absolutizeCacheDirectories(bo: RawSection, cwd: string, home: string | undefined): void {
  for (const name of ['download-cache', 'eggs-directory', 'extends-cache']) {
    const opt = bo.opts.get(name);
    if (!opt || opt.value.includes('${') || isAbsolute(opt.value)) continue;
    const src = opt.loc.file;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(src)) {
      throw new BuildoutError('UserError', `Setting "${name}" to a non absolute location ("${opt.value}") within a\nremote configuration file ("${src}") is ambiguous.`, {
        loc: opt.loc,
        section: 'buildout',
        option: name,
        hint: `Set ${name} in a local file (or on the command line), or use an absolute path.`,
      });
    }
    const base = PSEUDO.has(src) ? (bo.opts.get('directory')?.value ?? cwd) : dirname(src);
    let abs = expandUser(opt.value, home);
    if (!isAbsolute(abs)) abs = pyJoin(base, abs);
    abs = resolve(cwd, abs);
    bo.opts.set(name, { ...opt, value: abs });
  }
}

const JOINED = ['bin-directory', 'parts-directory', 'eggs-directory', 'develop-eggs-directory'];

/** First pass, on raw values: join the standard directories onto `directory` (unless they hold `${`). */
export function joinDirectoriesRaw(bo: RawSection): void {
  const dir = bo.opts.get('directory');
  if (!dir) return;
  for (const name of JOINED) {
    const opt = bo.opts.get(name);
    if (opt && !opt.value.includes('${')) bo.opts.set(name, { ...opt, value: pyJoin(dir.value, opt.value) });
  }
}

/** Second pass and checks, on the substituted [buildout] options (modified in place). */
export function finishBuildoutSection(data: Map<string, string>, locate: (option: string) => Loc | undefined, warn: (msg: string) => void, abiTag?: string): void {
  const dir = data.get('directory') ?? '';
  for (const name of JOINED) {
    const v = data.get(name);
    if (v !== undefined) data.set(name, pyJoin(dir, v));
  }
  const installed = data.get('installed');
  if (installed) data.set('installed', pyJoin(dir, installed));
  for (const name of BOOLEANS) {
    if (name === 'newest' && data.get('offline') === 'true') continue;
    const v = data.get(name);
    if (v !== undefined && v !== 'true' && v !== 'false') {
      throw new BuildoutError('UserError', `Invalid value for '${name}' option: '${v}'`, {
        loc: locate(name),
        section: 'buildout',
        option: name,
        hint: 'Use exactly `true` or `false` (lower case).',
      });
    }
  }
  const level = data.get('log-level');
  if (level !== undefined && !LOG_LEVELS.includes(level) && !/^\s*[-+]?\d+\s*$/.test(level)) {
    throw new BuildoutError('UserError', `Invalid logging level ${level}`, {
      loc: locate('log-level'),
      section: 'buildout',
      option: 'log-level',
      hint: `Use one of ${LOG_LEVELS.join(', ')} or a number.`,
    });
  }
  const verbosity = data.get('verbosity');
  if (verbosity !== undefined && !/^\s*[-+]?\d+\s*$/.test(verbosity)) {
    throw new BuildoutError('UserError', `Invalid verbosity ${verbosity}`, { loc: locate('verbosity'), section: 'buildout', option: 'verbosity' });
  }
  const timeout = data.get('socket-timeout');
  if (timeout && !/^\s*[-+]?\d+\s*$/.test(timeout)) warn(`Default socket timeout is used !\nValue in configuration is not numeric: [${timeout}].`);
  const eggs = data.get('eggs-directory');
  const version = data.get('eggs-directory-version');
  if (eggs !== undefined && version) data.set('eggs-directory', pyJoin(eggs, version));
  if (data.get('abi-tag-eggs') === 'true' && abiTag) data.set('eggs-directory', pyJoin(data.get('eggs-directory') ?? '', abiTag));
}

/** The ABI tag zc.buildout appends with `abi-tag-eggs = true` (CPython: cp311), from interpreter facts. */
export function abiTagOf(facts: { implementation: string; versionInfo: [number, number, number] }): string {
  const [major, minor] = facts.versionInfo;
  if (facts.implementation === 'cpython') return `cp${major}${minor}`;
  if (facts.implementation === 'pypy') return `pypy${major}${minor}_pp73`;
  return `${facts.implementation}${major}${minor}`;
}

/** Python's os.path.join for two parts: an absolute second part wins, no normalisation. */
export function pyJoin(a: string, b: string): string {
  if (b.startsWith('/')) return b;
  if (a === '' || a.endsWith('/')) return a + b;
  return a + '/' + b;
}

export function expandUser(p: string, home: string | undefined): string {
  if (p !== '~' && !p.startsWith('~/')) return p;
  return (home ?? homedir()) + p.slice(1);
}
