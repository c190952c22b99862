// The lock file (`buildout.lock` beside `buildout.cfg`): every distribution of the
// buildout's environments with its exact version, its environment marker (a universal
// resolution covers every platform) and the SHA-256 of every file the index offers for
// that version. Written in a small subset of TOML (the format of uv.lock and
// poetry.lock), sorted, one hash per line, so that a change reads well in a diff.
// Only this module writes and reads it; a file we cannot read is an error naming its line.
import { readFileSync } from 'node:fs';
import { BuildoutError } from '../errors.js';

export const LOCK_FORMAT = 1;

export interface LockedPackage {
  /** normalised name (PEP 503) */
  name: string;
  version: string;
  /** PEP 508 marker: the platforms and Pythons the package is installed on (absent: all) */
  marker?: string;
  /** `sha256:<hex>` of each file of that version (wheels for every platform, sdist) */
  hashes: string[];
}

export interface LockedEnvironment {
  /** the environment's folder, relative to the buildout directory */
  path: string;
  /** `universal` (uv: every platform and Python from requires-python) or the one platform pip resolved for */
  resolution: string;
  requiresPython?: string;
  /** the requirements the environment was resolved for (as the configuration gives them) */
  requirements: string[];
  /** develop eggs (paths relative to the lock file): installed from their folders, not locked */
  develop: string[];
  packages: LockedPackage[];
}

export interface LockFile {
  /** environments by table name: `venv` (the parts'), `recipes` (the Python recipes') */
  environments: Record<string, LockedEnvironment>;
}

/** The file's text: header comment, then each environment, everything sorted. */
export function formatLock(lock: LockFile, header: { tool: string; config: string }): string {
  const out = [
    `# ${header.config.replace(/\.cfg$/, '')}.lock: the exact Python distributions of ${header.config}, written by`,
    `# \`buildout lock\` (${header.tool}). \`buildout --frozen\` installs exactly these, checking`,
    '# every hash. Do not edit: change the configuration, then run `buildout lock` again.',
    `version = ${LOCK_FORMAT}`,
  ];
  for (const name of Object.keys(lock.environments).sort()) {
    const env = lock.environments[name]!;
    out.push('', `[${name}]`, `path = ${str(env.path)}`, `resolution = ${str(env.resolution)}`);
    if (env.requiresPython) out.push(`requires-python = ${str(env.requiresPython)}`);
    out.push(...array('requirements', sortedUnique(env.requirements)), ...array('develop', sortedUnique(env.develop)));
    for (const p of sortPackages(env.packages)) {
      out.push('', `[[${name}.package]]`, `name = ${str(p.name)}`, `version = ${str(p.version)}`);
      if (p.marker) out.push(`marker = ${str(p.marker)}`);
      out.push(...array('hashes', sortedUnique(p.hashes)));
    }
  }
  return out.join('\n') + '\n';
}

/** Reads a lock file; undefined when it does not exist. */
export function readLock(file: string): LockFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new BuildoutError('LockFileError', `Could not read the lock file ${file}: ${(e as Error).message}`);
  }
  return parseLock(text, file);
}

/** Parses the text formatLock writes (exported for tests). */
export function parseLock(text: string, file: string): LockFile {
  const fail = (line: number, why: string): never => {
    throw new BuildoutError('LockFileError', `The lock file ${file} cannot be read: line ${line}: ${why}`, {
      loc: { file, line },
      hint: 'Write it again with `buildout lock` (it is not meant to be edited by hand).',
    });
  };
  // tables as read: [name] and [[name.package]], each with its keys and its line
  const tables: { env: string; pkg: boolean; line: number; keys: Record<string, string | string[]> }[] = [];
  const top: Record<string, string | string[]> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const n = i + 1;
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = /^\[([a-z][a-z0-9-]*)\]$/.exec(line) ?? /^\[\[([a-z][a-z0-9-]*)\.package\]\]$/.exec(line);
    if (header) {
      tables.push({ env: header[1]!, pkg: line.startsWith('[['), line: n, keys: {} });
      continue;
    }
    const kv = /^([a-z][a-z0-9-]*)\s*=\s*(.*)$/.exec(line) ?? fail(n, `not a key = value line: ${line}`);
    let value = kv[2]!;
    if (value.startsWith('[')) {
      // an array of strings, possibly over several lines
      while (!/\]\s*$/.test(value) && i + 1 < lines.length) value += ' ' + lines[++i]!.trim();
    }
    const parsed = value.startsWith('[') ? parseArray(value) : tables.length === 0 && /^\d+$/.test(value) ? value : parseString(value);
    if (parsed === undefined) fail(n, `${kv[1]}: not a ${value.startsWith('[') ? 'list of strings' : 'string'}`);
    (tables.at(-1)?.keys ?? top)[kv[1]!] = parsed!;
  }
  const version = Number(top.version);
  if (version !== LOCK_FORMAT) {
    throw new BuildoutError('LockFileError', `The lock file ${file} has ${top.version === undefined ? 'no format version' : `format version ${String(top.version)}`}; this buildout-ts reads version ${LOCK_FORMAT}.`, {
      hint: 'Write it again with `buildout lock`.',
    });
  }
  const envs: Record<string, LockedEnvironment> = {};
  for (const t of tables) {
    const s = (key: string, required: boolean): string | undefined => {
      const v = t.keys[key];
      if (v === undefined && !required) return undefined;
      return typeof v === 'string' ? v : fail(t.line, `${key} (a string) is missing`);
    };
    const list = (key: string): string[] => {
      const v = t.keys[key] ?? [];
      return Array.isArray(v) ? v : fail(t.line, `${key} is not a list`);
    };
    if (!t.pkg) {
      if (envs[t.env]) fail(t.line, `[${t.env}] appears twice`);
      const requiresPython = s('requires-python', false);
      envs[t.env] = { path: s('path', true)!, resolution: s('resolution', true)!, ...(requiresPython ? { requiresPython } : {}), requirements: list('requirements'), develop: list('develop'), packages: [] };
      continue;
    }
    const env = envs[t.env] ?? fail(t.line, `[[${t.env}.package]] before [${t.env}]`);
    const marker = s('marker', false);
    const hashes = list('hashes');
    if (hashes.length === 0 || hashes.some((h) => !/^sha256:[0-9a-f]{64}$/.test(h))) fail(t.line, 'a package needs hashes of the form sha256:<64 hex digits>');
    env.packages.push({ name: s('name', true)!, version: s('version', true)!, ...(marker ? { marker } : {}), hashes });
  }
  return { environments: envs };
}

export function sortPackages(packages: readonly LockedPackage[]): LockedPackage[] {
  return [...packages].sort((a, b) => cmp(a.name, b.name) || cmp(a.version, b.version) || cmp(a.marker ?? '', b.marker ?? ''));
}

// --- internal ---

function str(s: string): string {
  return JSON.stringify(s);
}

function array(key: string, items: readonly string[]): string[] {
  if (items.length === 0) return [`${key} = []`];
  return [`${key} = [`, ...items.map((i) => `    ${str(i)},`), ']'];
}

function sortedUnique(items: readonly string[]): string[] {
  return [...new Set(items)].sort(cmp);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

// A TOML basic string as JSON writes it (our strings need no other escapes).
function parseString(value: string): string | undefined {
  if (!/^"(?:[^"\\]|\\.)*"$/.test(value)) return undefined;
  try {
    return JSON.parse(value) as string;
  } catch {
    return undefined;
  }
}

function parseArray(value: string): string[] | undefined {
  const inner = value.trim().replace(/^\[/, '').replace(/\]$/, '').trim();
  if (inner === '') return [];
  const items: string[] = [];
  const re = /\s*("(?:[^"\\]|\\.)*")\s*(,|$)/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < inner.length && (m = re.exec(inner))) {
    const s = parseString(m[1]!);
    if (s === undefined) return undefined;
    items.push(s);
    if (m[2] === '') break;
  }
  return re.lastIndex >= inner.length || inner.slice(re.lastIndex).trim() === '' ? items : undefined;
}
