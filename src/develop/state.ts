// mr.developer's configuration and state: `~/.buildout/mr.developer.cfg` (global),
// `.mr.developer-options.cfg` (per buildout, by hand) and `.mr.developer.cfg`
// (per buildout, written by mr.developer), read in that order into one map.
// `.mr.developer.cfg` keeps the develop state of each package (`[develop]`:
// true, false or auto), the arguments of the last plain `buildout` run
// (`[buildout] args`, for `develop rebuild`) and the legacy rewrites; saving
// writes the whole map back in configparser's layout, as mr.developer does, so
// that either tool can take over a buildout directory from the other.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { BuildoutError } from '../errors.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import { pyRepr } from '../pyrepr.js';
import { formatIni, parseIni, unquoteArg, type Ini } from './ini.js';
import { legacyRewrite, parseRewrite, type Rewrite } from './rewrites.js';

export const STATE_FILE = '.mr.developer.cfg';
export const OPTIONS_FILE = '.mr.developer-options.cfg';

export type DevelopFlag = true | false | 'auto';

export interface DevelopState {
  /** the `.mr.developer.cfg` of the buildout */
  readonly file: string;
  /** `[develop]`: the develop state of each package name */
  develop: Map<string, DevelopFlag>;
  /** `[buildout] args`: argv of the last plain buildout run, the program first */
  buildoutArgs: string[];
  /** `[mr.developer] threads` (default 5) */
  threads: number;
  rewrites: Rewrite[];
  /** the merged map the state was read from (written back by saveState) */
  readonly ini: Ini;
  /** the text of `.mr.developer.cfg` as read ('' when absent), to skip rewriting it unchanged */
  readonly text: string;
  /** `[mr.developer] rewrites` lines, kept to be written back */
  readonly legacyRewrites: [string, string][];
  /** problems worth a warning (an invalid `threads`) */
  readonly warnings: string[];
}

/** Reads the three files; `home` is where `.buildout/mr.developer.cfg` is looked for. */
export function readState(directory: string, home = process.env.HOME ?? ''): DevelopState {
  const globalFile = join(home, '.buildout', 'mr.developer.cfg');
  const optionsFile = join(directory, OPTIONS_FILE);
  const file = join(directory, STATE_FILE);
  const ini: Ini = new Map();
  for (const [path, shown] of [
    [globalFile, '~/.buildout/mr.developer.cfg'],
    [optionsFile, OPTIONS_FILE],
  ] as const) {
    const one = parseIni(read(path));
    for (const section of ['buildout', 'develop']) {
      if (one.has(section)) throw new BuildoutError('UserError', `The '${section}' section is not allowed in '${shown}'.`, { loc: { file: path }, hint: `Only ${STATE_FILE}, which mr.developer writes itself, has a [${section}] section.` });
    }
    for (const [name, options] of one) {
      const into = ini.get(name) ?? new Map<string, string>();
      ini.set(name, into);
      for (const [k, v] of options) into.set(k, v);
    }
  }
  const text = read(file);
  parseIni(text, ini);

  const develop = new Map<string, DevelopFlag>();
  for (const [name, value] of ini.get('develop') ?? []) {
    const v = value.toLowerCase();
    if (v !== 'true' && v !== 'false' && v !== 'auto') throw new BuildoutError('UserError', `Invalid value in 'develop' section of '${file}': ${name} = ${value}`, { loc: { file }, hint: 'The values are true, false or auto; `develop reset` forgets a package\'s state.' });
    develop.set(name, v === 'auto' ? 'auto' : v === 'true');
  }
  const args = ini.get('buildout')?.get('args');
  const buildoutArgs = args === undefined ? [] : args.split('\n').map(unquoteArg);
  const mrd = ini.get('mr.developer');
  const warnings: string[] = [];
  const legacyRewrites: [string, string][] = [];
  const rewrites: Rewrite[] = [];
  for (const line of (mrd?.get('rewrites') ?? '').split('\n')) {
    if (!line.trim()) continue;
    const parts = line.trim().split(/\s+/);
    if (parts.length !== 2) throw new BuildoutError('UserError', `Invalid legacy rewrite '${line.trim()}'. Each rewrite must have two parts separated by a space.`, { loc: { file } });
    legacyRewrites.push([parts[0]!, parts[1]!]);
    rewrites.push(legacyRewrite(parts[0]!, parts[1]!, file));
  }
  let threads = 5;
  const t = mrd?.get('threads');
  if (t !== undefined) {
    if (/^\s*[+-]?\d+\s*$/.test(t) && Number(t) >= 1) threads = Number(t);
    else warnings.push(`Invalid value '${t}' for 'threads' option, must be a positive number. Using default value of ${threads}.`);
  }
  for (const [, program] of ini.get('rewrites') ?? []) rewrites.push(parseRewrite(program, optionsFile));
  return { file, develop, buildoutArgs, threads, rewrites, ini, text, legacyRewrites, warnings };
}

/**
 * Writes the state back as mr.developer does: `[develop]` rewritten in name order, the
 * buildout arguments stored unless `storeArgs` is false, the legacy rewrites kept.
 * Writes nothing when the text would not change.
 */
export function saveState(state: DevelopState, storeArgs: boolean): void {
  const ini = state.ini;
  ini.delete('develop');
  const develop = new Map<string, string>();
  for (const name of [...state.develop.keys()].sort()) develop.set(name, String(state.develop.get(name)));
  ini.set('develop', develop);
  if (!ini.has('buildout')) ini.set('buildout', new Map());
  if (storeArgs) ini.get('buildout')!.set('args', state.buildoutArgs.map(pyRepr).join('\n'));
  if (!ini.has('mr.developer')) ini.set('mr.developer', new Map());
  ini.get('mr.developer')!.set('rewrites', state.legacyRewrites.map((r) => r.join(' ')).join('\n'));
  const text = formatIni(ini);
  if (text !== state.text || !existsSync(state.file)) writeFileAtomic(state.file, text);
}

/** The buildout directory above `cwd` that has a `.mr.developer.cfg` (mr.developer's find_base). */
export function findStateDirectory(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    if (existsSync(join(dir, STATE_FILE))) return dir;
    if (dirname(dir) === dir) return undefined;
  }
}

// --- internal ---

function read(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
