// Facts about a Python interpreter (version, implementation, platform, byte order, pointer
// size), learnt by running it once and cached on disk, so that resolving a config and
// re-running spawn no Python process while nothing changed. Only a cache miss imports
// src/process/run.ts (and so execa).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BuildoutError } from '../errors.js';
import { findOnPath, isExecutableFile } from '../config/which.js';
import { writeFileAtomic } from '../state/atomic-write.js';
import type { PythonFacts } from './types.js';

/** Bump when the script or the PythonFacts shape changes: old entries are then ignored. */
const CACHE_FORMAT = 3;
const MAX_ENTRIES = 64;

interface CacheEntry {
  /** realpath of the interpreter file and its stat, the validity key */
  realpath: string;
  mtimeMs: number;
  size: number;
  /** for version-manager shims (pyenv, asdf): which version they would pick; '' otherwise */
  selector: string;
  facts: PythonFacts;
}

interface CacheFile {
  format: number;
  entries: Record<string, CacheEntry>;
}

const memo = new Map<string, Promise<PythonFacts>>();

export async function getPythonFacts(executable: string): Promise<PythonFacts> {
  const file = resolveExecutable(executable);
  const stamp = statStamp(file, executable);
  // the resolved path is the key (a venv's bin/python is a symlink to the base interpreter
  // but reports its own sys.executable); the realpath's stat decides whether it is still valid
  const memoKey = `${file}\0${stamp.realpath}\0${stamp.mtimeMs}\0${stamp.size}\0${stamp.selector}`;
  let p = memo.get(memoKey);
  if (!p) {
    p = learnFacts(file, stamp);
    memo.set(memoKey, p);
    p.catch(() => memo.delete(memoKey));
  }
  return p;
}

/** Where the facts cache lives: $BUILDOUT_TS_CACHE_DIR, else $XDG_CACHE_HOME/buildout-ts, else ~/.cache/buildout-ts. */
export function factsCachePath(): string {
  const dir = process.env.BUILDOUT_TS_CACHE_DIR || path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'buildout-ts');
  return path.join(dir, 'python-facts.json');
}

// --- internal ---

type Stamp = Pick<CacheEntry, 'realpath' | 'mtimeMs' | 'size' | 'selector'>;

async function learnFacts(file: string, stamp: Stamp): Promise<PythonFacts> {
  const cachePath = factsCachePath();
  const cached = readCache(cachePath).entries[file];
  if (cached && cached.realpath === stamp.realpath && cached.mtimeMs === stamp.mtimeMs && cached.size === stamp.size && cached.selector === stamp.selector && isFacts(cached.facts)) {
    return cached.facts;
  }
  const facts = await runInterpreter(file);
  writeCacheEntry(cachePath, file, { ...stamp, facts });
  return facts;
}

// Python 2.7-compatible on purpose: old interpreters still appear in `[versions:python27]` configs.
const FACTS_SCRIPT = `
import json, os, platform, sys
vi = sys.version_info
impl = getattr(sys, 'implementation', None)
if impl is not None:
    iv = impl.version
    ivs = '%d.%d.%d' % (iv[0], iv[1], iv[2])
    if iv[3] != 'final':
        ivs += iv[3][0] + str(iv[4])
    name = impl.name
else:
    ivs = platform.python_version()
    name = platform.python_implementation().lower()
sys.stdout.write(json.dumps({
    'executable': sys.executable, 'version': platform.python_version(),
    'versionInfo': [vi[0], vi[1], vi[2]], 'releaseLevel': vi[3], 'serial': vi[4],
    'implementation': name, 'implementationVersion': ivs, 'sysVersion': sys.version,
    'platform': sys.platform, 'osName': os.name, 'system': platform.system(),
    'machine': platform.machine(), 'release': platform.release(),
    'platformVersion': platform.version(),
    'pythonImplementation': platform.python_implementation(),
    'byteorder': sys.byteorder, 'pointerBits': 64 if sys.maxsize > 2 ** 32 else 32,
}))
`;

async function runInterpreter(file: string): Promise<PythonFacts> {
  const { run } = await import('../process/run.js');
  // -S: skip site (.pth files, sitecustomize), which the facts do not depend on; faster start.
  // The environment stays, as the interpreter will run with it (some need PYTHONHOME).
  const r = await run(file, ['-S', '-c', FACTS_SCRIPT], { timeoutMs: 60_000 });
  let facts: unknown;
  try {
    // the JSON is ASCII (json.dumps escapes) and the last line, whatever else was printed
    facts = r.failed ? undefined : JSON.parse(r.stdout.trim().split('\n').pop() ?? '');
  } catch {
    facts = undefined;
  }
  if (!isFacts(facts)) {
    const detail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join('\n');
    throw new BuildoutError('PythonFactsError', `Could not query the Python interpreter ${file}${r.timedOut ? ' (timed out)' : r.exitCode !== undefined ? ` (exit code ${r.exitCode})` : ''}${detail ? `:\n${detail}` : ''}`, {
      hint: 'Check that this is a working Python interpreter, or point `executable` in [buildout] at one.',
    });
  }
  return facts;
}

function resolveExecutable(executable: string): string {
  const notFound = (why: string) =>
    new BuildoutError('PythonNotFound', `Python interpreter not found: ${executable} (${why})`, {
      hint: 'Set `executable` in [buildout] or on the command line (buildout:executable=/usr/bin/python3), or install python3 (e.g. `apt-get install python3`).',
    });
  if (executable.trim() === '') throw notFound('the executable setting is empty');
  if (executable.includes('/') || (process.platform === 'win32' && executable.includes('\\'))) {
    const abs = path.resolve(executable);
    if (!isExecutableFile(abs)) throw notFound(fs.existsSync(abs) ? 'not an executable file' : 'no such file');
    return abs;
  }
  const found = findOnPath(executable, process.env.PATH);
  if (found === undefined) throw notFound('not found on PATH');
  return found;
}


function statStamp(file: string, executable: string): Stamp {
  try {
    const realpath = fs.realpathSync(file);
    const st = fs.statSync(realpath);
    return { realpath, mtimeMs: st.mtimeMs, size: st.size, selector: shimSelector(realpath) };
  } catch (e) {
    throw new BuildoutError('PythonNotFound', `Python interpreter not found: ${executable} (${(e as Error).message})`, { cause: e });
  }
}

// A pyenv/asdf shim is a script whose mtime says nothing about the Python it runs: that
// depends on PYENV_VERSION, the nearest .python-version/.tool-versions and the global version
// file. Their contents join the cache key, so switching versions re-queries the interpreter.
// Worked out once per run (nothing we do changes those files): a config with conditional
// sections asks for the facts once per section, and the walk up reads ~2 files per folder.
const selectors = new Map<string, string>();
function shimSelector(realpath: string): string {
  if (path.basename(path.dirname(realpath)) !== 'shims') return '';
  let selector = selectors.get(realpath);
  if (selector === undefined) selectors.set(realpath, (selector = readShimSelector(realpath)));
  return selector;
}

function readShimSelector(realpath: string): string {
  const root = path.dirname(path.dirname(realpath));
  const parts = [process.env.PYENV_VERSION ?? '', process.env.ASDF_PYTHON_VERSION ?? ''];
  for (let dir = process.cwd(); ; dir = path.dirname(dir)) {
    const local = readSmall(path.join(dir, '.python-version')) ?? readSmall(path.join(dir, '.tool-versions'));
    if (local !== undefined) {
      parts.push(`${dir}:${local}`);
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  parts.push(readSmall(path.join(process.env.PYENV_ROOT || root, 'version')) ?? '', readSmall(path.join(os.homedir(), '.tool-versions')) ?? '');
  return parts.join('\0');
}

function readSmall(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8').slice(0, 4096);
  } catch {
    return undefined;
  }
}

// A missing, unreadable or corrupt cache is an empty cache.
function readCache(cachePath: string): CacheFile {
  try {
    const data = JSON.parse(fs.readFileSync(cachePath, 'utf8')) as CacheFile;
    if (data && data.format === CACHE_FORMAT && typeof data.entries === 'object' && data.entries !== null) return data;
  } catch {
    // fall through
  }
  return { format: CACHE_FORMAT, entries: {} };
}

// Read-modify-write with an atomic rename; a concurrent writer may win, which only costs a re-query.
function writeCacheEntry(cachePath: string, key: string, entry: CacheEntry): void {
  const data = readCache(cachePath);
  delete data.entries[key];
  data.entries[key] = entry;
  const keys = Object.keys(data.entries);
  for (const k of keys.slice(0, Math.max(0, keys.length - MAX_ENTRIES))) delete data.entries[k];
  try {
    fs.mkdirSync(path.dirname(cachePath), { recursive: true });
    writeFileAtomic(cachePath, `${JSON.stringify(data, null, 2)}\n`);
  } catch {
    // an unwritable cache only costs speed
  }
}

function isFacts(v: unknown): v is PythonFacts {
  if (typeof v !== 'object' || v === null) return false;
  const f = v as Record<string, unknown>;
  const strings = ['executable', 'version', 'implementation', 'platform', 'osName', 'system', 'machine', 'release', 'platformVersion', 'pythonImplementation'];
  return (
    strings.every((k) => typeof f[k] === 'string') &&
    Array.isArray(f.versionInfo) &&
    f.versionInfo.length === 3 &&
    f.versionInfo.every((n) => Number.isInteger(n)) &&
    (f.byteorder === 'little' || f.byteorder === 'big') &&
    (f.pointerBits === 32 || f.pointerBits === 64)
  );
}
