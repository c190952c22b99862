// The names zc.buildout's `_default_globals()` gives condition expressions (modules sys, os,
// platform, re; python2/python3/python27/python311…; cpython/pypy…; linux/windows…;
// bits32/bits64; little_endian/big_endian) plus the builtins real configs use, computed from
// the facts of the interpreter that will run the parts.
import fs from 'node:fs';
import type { PythonFacts } from '../../python/types.js';
import { fail } from './failure.js';
import type { Namespace } from './pyeval.js';
import { numeric, pyCompare, PyDict, PyFunc, PyList, PyObject, PyTuple, type PyValue, repr, str, truthy, typeName } from './pyvalues.js';

// The python<major><minor> flags zc.buildout defines (3.0 added python310 … python315).
const MINOR_FLAGS = ['24', '25', '26', '27', '30', '31', '32', '33', '34', '35', '36', '37', '38', '39', '310', '311', '312', '313', '314', '315'];

const cache = new WeakMap<PythonFacts, Namespace>();

export function conditionGlobals(facts: PythonFacts): Namespace {
  let ns = cache.get(facts);
  if (!ns) cache.set(facts, (ns = build(facts)));
  return ns;
}

// --- internal ---

function build(f: PythonFacts): Namespace {
  const [major, minor, micro] = f.versionInfo;
  // zc.buildout looks for these words in sys.version; without it, trust the implementation name
  const sysVersion = f.sysVersion?.toLowerCase();
  const pypy = sysVersion ? sysVersion.includes('pypy') : f.implementation === 'pypy';
  const jython = sysVersion ? sysVersion.includes('java') : f.implementation === 'jython';
  const ironpython = sysVersion ? sysVersion.includes('iron') : f.implementation === 'ironpython';
  const platform = f.platform.toLowerCase();
  const flags: Record<string, boolean> = {
    python2: major === 2,
    python3: major === 3,
    cpython: !(pypy || jython || ironpython),
    pypy,
    jython,
    ironpython,
    linux: platform.includes('linux'),
    windows: platform.includes('win32'),
    cygwin: platform.includes('cygwin'),
    solaris: platform.includes('sunos'),
    macosx: platform.includes('darwin'),
    posix: f.osName.toLowerCase().includes('posix'),
    bits32: f.pointerBits === 32,
    bits64: f.pointerBits === 64,
    little_endian: f.byteorder === 'little',
    big_endian: f.byteorder === 'big',
  };
  for (const v of MINOR_FLAGS) flags[`python${v}`] = `${major}${minor}` === v;
  return { ...flags, sys: sysModule(f, major, minor, micro), os: osModule(f), platform: platformModule(f), re: reModule(), ...BUILTINS };
}

function sysModule(f: PythonFacts, major: number, minor: number, micro: number): PyObject {
  const level = f.releaseLevel ?? 'final';
  const serial = f.serial ?? 0;
  const versionInfo = namedVersion('sys.version_info', [major, minor, micro], level, serial);
  const levelCode = { alpha: 0xa, beta: 0xb, candidate: 0xc, final: 0xf }[level] ?? 0xf;
  const implVersion = /^(\d+)\.(\d+)\.(\d+)/.exec(f.implementationVersion ?? f.version);
  const implementation = new PyObject('types.SimpleNamespace', `namespace(name=${repr(f.implementation)})`, {
    name: f.implementation,
    ...(implVersion && { version: namedVersion('sys.version_info', [Number(implVersion[1]), Number(implVersion[2]), Number(implVersion[3])], level, serial) }),
  });
  return module('sys', {
    platform: f.platform,
    version_info: versionInfo,
    version: f.sysVersion ?? f.version,
    hexversion: BigInt((major << 24) | (minor << 16) | (micro << 8) | (levelCode << 4) | serial),
    maxsize: f.pointerBits === 32 ? 2n ** 31n - 1n : 2n ** 63n - 1n,
    byteorder: f.byteorder,
    executable: f.executable,
    implementation,
  });
}

function osModule(f: PythonFacts): PyObject {
  const nt = f.osName === 'nt';
  const env = () => new Map<string, PyValue>(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
  const pathTest = (name: string, test: (s: fs.Stats) => boolean) =>
    new PyFunc(name, (a) => {
      const p = a[0];
      if (typeof p !== 'string') fail('TypeError', `${name}() expects a str path, not ${typeName(p ?? null)}`);
      const st = fs.statSync(p, { throwIfNoEntry: false });
      return st !== undefined && test(st);
    });
  const path = module(nt ? 'ntpath' : 'posixpath', {
    sep: nt ? '\\' : '/',
    exists: pathTest('exists', () => true),
    isfile: pathTest('isfile', (s) => s.isFile()),
    isdir: pathTest('isdir', (s) => s.isDirectory()),
  });
  return module('os', {
    name: f.osName,
    sep: nt ? '\\' : '/',
    altsep: nt ? '/' : null,
    pathsep: nt ? ';' : ':',
    linesep: nt ? '\r\n' : '\n',
    curdir: '.',
    pardir: '..',
    environ: new PyDict(env),
    path,
  });
}

function platformModule(f: PythonFacts): PyObject {
  const constant = (name: string, v: PyValue) => new PyFunc(name, () => v);
  return module('platform', {
    system: constant('system', f.system),
    machine: constant('machine', f.machine),
    release: constant('release', f.release),
    version: constant('version', f.platformVersion),
    python_implementation: constant('python_implementation', f.pythonImplementation),
    python_version: constant('python_version', f.version),
    // split from the version string, as Python does: 3.13.0rc1 → ('3', '13', '0rc1')
    python_version_tuple: constant('python_version_tuple', new PyTuple([...f.version.split('.'), '0', '0'].slice(0, 3))),
  });
}

// re.match/search/fullmatch with Python patterns translated to JavaScript where they differ.
function reModule(): PyObject {
  const flagsOf = (v: PyValue | undefined) => {
    const n = v === undefined ? 0n : numeric(v);
    if (typeof n !== 'bigint') fail('TypeError', 're flags must be an int');
    return (n & 2n ? 'i' : '') + (n & 8n ? 'm' : '') + (n & 16n ? 's' : '');
  };
  const matcher = (name: string, wrap: (p: string) => string, sticky: boolean) =>
    new PyFunc(name, (a) => {
      const [pattern, text] = a;
      if (typeof pattern !== 'string' || typeof text !== 'string') fail('TypeError', `re.${name}() expects a str pattern and a str`);
      let re: RegExp;
      try {
        re = new RegExp(wrap(translatePattern(pattern)), flagsOf(a[2]) + (sticky ? 'y' : '') + 'u');
      } catch (e) {
        return fail('ValueError', `re.error: ${(e as Error).message}`);
      }
      const m = re.exec(text);
      return m ? matchObject(m) : null;
    });
  return module('re', {
    match: matcher('match', (p) => p, true),
    search: matcher('search', (p) => p, false),
    fullmatch: matcher('fullmatch', (p) => `(?:${p})(?![\\s\\S])`, true),
    I: 2n,
    IGNORECASE: 2n,
    M: 8n,
    MULTILINE: 8n,
    S: 16n,
    DOTALL: 16n,
  });
}

function translatePattern(p: string): string {
  return p.replace(/\(\?P<(\w+)>/g, '(?<$1>').replace(/\(\?P=(\w+)\)/g, '\\k<$1>').replace(/\\A/g, '^').replace(/\\Z/g, '(?![\\s\\S])');
}

function matchObject(m: RegExpExecArray): PyObject {
  const group = (i: PyValue) => {
    const n = i === undefined ? 0n : numeric(i);
    const v = typeof n === 'bigint' ? m[Number(n)] : typeof i === 'string' ? m.groups?.[i] : undefined;
    return v ?? null;
  };
  return new PyObject('re.Match', `<re.Match object; span=(${m.index}, ${m.index + m[0].length}), match=${repr(m[0])}>`, {
    group: new PyFunc('group', (a) => group(a[0] ?? 0n)),
    groups: new PyFunc('groups', () => new PyTuple(m.slice(1).map((x) => x ?? null))),
    start: new PyFunc('start', () => BigInt(m.index)),
    end: new PyFunc('end', () => BigInt(m.index + m[0].length)),
  });
}

function namedVersion(typeName: string, [major, minor, micro]: number[], level: string, serial: number): PyTuple {
  const items: PyValue[] = [BigInt(major!), BigInt(minor!), BigInt(micro!), level, BigInt(serial)];
  return new PyTuple(items, typeName, { major: items[0]!, minor: items[1]!, micro: items[2]!, releaselevel: level, serial: items[4]! });
}

function module(name: string, attrs: Record<string, PyValue>): PyObject {
  return new PyObject('module', `<module '${name}'>`, attrs);
}

function iterate(v: PyValue, fn: string): readonly PyValue[] {
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof PyTuple || v instanceof PyList) return v.items;
  if (v instanceof PyDict) return [...v.entries.keys()];
  return fail('TypeError', `${fn}(): '${typeName(v)}' object is not iterable`);
}

function extreme(name: string, sign: number) {
  return new PyFunc(name, (a) => {
    const items = a.length === 1 ? iterate(a[0]!, name) : a;
    if (!items.length) fail('ValueError', `${name}() arg is an empty sequence`);
    return items.reduce((best, x) => (pyCompare(x, best, sign < 0 ? '<' : '>') * sign > 0 ? x : best));
  });
}

const BUILTINS: Namespace = {
  bool: new PyFunc('bool', (a) => (a.length ? truthy(a[0]!) : false)),
  int: new PyFunc('int', (a) => {
    const v = a[0] ?? 0n;
    if (typeof v === 'string') {
      const t = v.trim().replace(/_/g, '');
      if (!/^[-+]?\d+$/.test(t)) fail('ValueError', `invalid literal for int() with base 10: ${repr(v)}`);
      return BigInt(t);
    }
    const n = numeric(v);
    if (n === undefined) fail('TypeError', `int() argument must be a string or a number, not '${typeName(v)}'`);
    return typeof n === 'bigint' ? n : BigInt(Math.trunc(n));
  }),
  float: new PyFunc('float', (a) => {
    const v = a[0] ?? 0n;
    const n = typeof v === 'string' ? (/^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(v) ? Number(v) : undefined) : numeric(v);
    if (n === undefined) fail('ValueError', `could not convert ${typeName(v)} to float: ${repr(v)}`);
    return Number(n);
  }),
  str: new PyFunc('str', (a) => (a.length ? str(a[0]!) : '')),
  repr: new PyFunc('repr', (a) => repr(a[0] ?? null)),
  len: new PyFunc('len', (a) => {
    const v = a[0] ?? null;
    if (v instanceof PyDict) return BigInt(v.entries.size);
    if (typeof v !== 'string' && !(v instanceof PyTuple) && !(v instanceof PyList)) fail('TypeError', `object of type '${typeName(v)}' has no len()`);
    return BigInt(iterate(v, 'len').length);
  }),
  any: new PyFunc('any', (a) => iterate(a[0] ?? null, 'any').some(truthy)),
  all: new PyFunc('all', (a) => iterate(a[0] ?? null, 'all').every(truthy)),
  tuple: new PyFunc('tuple', (a) => new PyTuple(a.length ? iterate(a[0]!, 'tuple') : [])),
  list: new PyFunc('list', (a) => new PyList(a.length ? iterate(a[0]!, 'list') : [])),
  min: extreme('min', -1),
  max: extreme('max', 1),
  abs: new PyFunc('abs', (a) => {
    const n = numeric(a[0] ?? null);
    if (n === undefined) fail('TypeError', `bad operand type for abs(): '${typeName(a[0] ?? null)}'`);
    return n < 0 ? -n : n;
  }),
  ord: new PyFunc('ord', (a) => {
    const s = a[0];
    if (typeof s !== 'string' || Array.from(s).length !== 1) fail('TypeError', 'ord() expected a character');
    return BigInt(s.codePointAt(0)!);
  }),
  chr: new PyFunc('chr', (a) => {
    const n = numeric(a[0] ?? null);
    if (typeof n !== 'bigint' || n < 0n || n > 0x10ffffn) fail('ValueError', 'chr() arg not in range(0x110000)');
    return String.fromCodePoint(Number(n));
  }),
};

/** Names of the builtins we provide (left out of the 'Available names' hint). */
export const BUILTIN_NAMES: ReadonlySet<string> = new Set(Object.keys(BUILTINS));
