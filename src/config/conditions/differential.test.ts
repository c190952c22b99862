// Our evaluator against the real thing: each expression is also evaluated by a real Python
// the way zc.buildout 3+ does it (packaging's Marker first, else eval('[' + expr + ']')[0]
// with the same default names), and the two answers must agree.
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { BuildoutError } from '../../errors.js';
import { run } from '../../process/run.js';
import { getPythonFacts } from '../../python/facts.js';
import type { PythonFacts } from '../../python/types.js';
import { CTX } from './fixtures.js';
import { evaluateConditionWithFacts } from './index.js';

// The reference: zc.buildout's documented behaviour, restated here (not copied).
const REFERENCE = String.raw`
import json, os, platform, re, struct, sys
from packaging.markers import Marker, InvalidMarker
major, minor = platform.python_version_tuple()[:2]
g = {'sys': sys, 'os': os, 'platform': platform, 're': re,
     'python2': major == '2', 'python3': major == '3'}
for v in '24 25 26 27 30 31 32 33 34 35 36 37 38 39 310 311 312 313 314 315'.split():
    g['python' + v] = major + minor == v
ver = sys.version.lower()
g['pypy'] = 'pypy' in ver
g['jython'] = 'java' in ver
g['ironpython'] = 'iron' in ver
g['cpython'] = not (g['pypy'] or g['jython'] or g['ironpython'])
plat = sys.platform.lower()
for name, needle in [('linux', 'linux'), ('windows', 'win32'), ('cygwin', 'cygwin'), ('solaris', 'sunos'), ('macosx', 'darwin')]:
    g[name] = needle in plat
g['posix'] = 'posix' in os.name.lower()
bits = struct.calcsize('P') * 8
g['bits32'] = bits == 32
g['bits64'] = bits == 64
g['little_endian'] = sys.byteorder == 'little'
g['big_endian'] = sys.byteorder == 'big'

def condition(expr):
    try:
        marker = Marker(expr)
    except InvalidMarker:
        return bool(eval('[' + expr + ']', dict(g))[0])
    return marker.evaluate()

out = []
for expr in json.load(sys.stdin):
    try:
        out.append(['ok', condition(expr)])
    except Exception as e:
        out.append(['error', type(e).__name__ + ': ' + str(e)])
sys.stdout.write(json.dumps(out))
`;

type Answer = ['ok', boolean] | ['error', string];

let python: string | undefined;
let facts: PythonFacts;
let skipWhy = '';

beforeAll(async () => {
  const probe = await run('python3', ['-c', 'import packaging.markers, sys; print(sys.executable)']);
  if (probe.failed) {
    skipWhy = 'python3 on PATH cannot import packaging';
    return;
  }
  python = probe.stdout.trim();
  facts = await getPythonFacts(python);
});

async function reference(exprs: string[]): Promise<Answer[]> {
  const r = await run(python!, ['-c', REFERENCE], { input: JSON.stringify(exprs) });
  if (r.failed) throw new Error(`reference failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as Answer[];
}

function ours(expr: string): Answer {
  try {
    return ['ok', evaluateConditionWithFacts(expr, facts, CTX)];
  } catch (e) {
    if (!(e instanceof BuildoutError)) throw e;
    return ['error', e.message];
  }
}

function compare(exprs: string[], theirs: Answer[]) {
  const mismatches = exprs
    .map((expr, i) => ({ expr, ours: ours(expr), theirs: theirs[i]! }))
    .filter((r) => r.ours[0] !== r.theirs[0] || (r.ours[0] === 'ok' && r.ours[1] !== r.theirs[1]));
  expect(mismatches).toEqual([]);
}

const CURATED = [
  'python3', 'python311', 'python27', 'python2 or python312', 'linux and bits64 and little_endian', 'not windows',
  'cpython', 'pypy', 'posix', 'macosx or cygwin or solaris', 'big_endian', 'bits32',
  'python_version >= "3.13"', 'python_version < "3.12"', "python_version == '3.11'", 'python_version ~= "3.9"',
  'python_full_version >= "3.11.7"', 'python_full_version == "3.11.*"', 'python_full_version === "3.11.7"',
  'python_full_version > "3.11.7"', 'python_full_version <= "3.11"', 'python_version != "3.11" or os_name == "posix"',
  'platform_system == "Linux" and python_version < "3.12"', 'sys_platform == "linux"', 'sys.platform == "linux"',
  'os.name == "posix"', 'platform.machine == "x86_64"', '"linux" in sys_platform', 'sys_platform not in "win32"',
  'platform_release >= "5"', 'platform_release < "100"', 'implementation_version >= "3"', 'implementation_name == "cpython"',
  'platform_python_implementation == "CPython"', 'python_implementation != "PyPy"', 'extra == "x"', 'extra != "x"',
  'sys_platform < "zzz"', 'sys_platform >= "linux"', 'sys_platform > "a"', 'os_name <= "posix"', 'python_version == "x.y"',
  '(python_version >= "3" and (os_name == "posix" or os_name == "nt"))', 'python_version>"3"and os_name=="posix"',
  'sys.version_info >= (3, 8)', 'sys.version_info[:2] == (3, 11)', 'sys.version_info.minor > 10', 'sys.version_info[0] == 3',
  'sys.version_info < (3, 11, 7, "final", 1)', 'sys.version_info > (3, 11, 7, "candidate")', 'sys.maxsize > 2**32',
  'sys.byteorder == "little"', 'sys.platform.startswith("linux")', 'sys.platform.startswith(("darwin", "linux"))',
  'sys.implementation.name == "cpython"', 'sys.hexversion >= 0x030b0000', 'os.sep == "/"', 'os.pathsep == ":"',
  'platform.system() == "Linux"', 'platform.system().lower() == "linux"', 'platform.machine() in ("x86_64", "aarch64")',
  'platform.python_implementation() == "CPython"', 'platform.python_version() >= "3.9"', 'platform.release() != ""',
  'platform.python_version_tuple()[0] == "3"', 're.match("lin", sys.platform)', 're.search("x", sys.platform)',
  're.match(r"^\\d+\\.\\d+", platform.python_version()) is not None', 'int(platform.python_version_tuple()[1]) > 9',
  'windows, True', 'True, windows', 'linux,', '0, 1', '(0, 0)', '()', '[]', '""', '"0"', '0.0', 'None', '[0]',
  '1 < 2 < 3', '3 > 2 > 2', '1 == 1.0 == True', 'not not 5', '"a" < "b" <= "b"', '(1, 2) < (1, 2, 0)', '[1] == (1,)',
  '"ab" in "cabd"', '(1, 2) in ((1, 2), 3)', '2 not in (1, 3)', 'None is None', 'True is not None', '-(-3) == 3',
  '"x" if linux else ""', 'len(sys.platform) == 5', 'any(()) or all(())', 'max(3, 7, 5) == 7', 'min("bca") == "a"',
  'str(3) + "1" == "31"', "'it''s' == 'its'", '"\\x41\\u00e9\\101" == "Aé" + "A"', "r'\\d' == '\\\\d'", '"""tri""" == "tri"',
  '0x1f == 31 and 0o17 == 15 and 0b11 == 3 and 1_000 == 1000', 'abs(-2) == 2 and ord("a") == 97 and chr(98) == "b"',
  'tuple("ab") == ("a", "b") and list((1,)) == [1]', 'sys.version_info.count(3) >= 1', 'bool(0) or bool("")',
  '"abc"[1] == "b" and "abc"[-1] == "c" and "abcdef"[1:4:2] == "bd" and "abc"[::-1] == "cba"',
  'sys.version_info[::2]', '(1, 2, 3)[5:]', '"ab" * 2 == "abab" and 2 * (1,) == (1, 1) and [0] * -1 == []', ' python3', 'python3 ', 'True and 0', 'False or "x"', '1 + True == 2',
  // errors on both sides
  'pyton3', 'sys.nope', 'sys.platform < 3', '1 in "abc"', '(1, 2)[5]', '"a" + 1', 'python_version ~= "1"',
  'python3 and', ')', '"x', 'int("x")', 'os.environ["BUILDOUT_TS_NO_SUCH_VAR_EVER"]', 'sys.platform()', 'None()',
];

describe('agrees with a real Python running zc.buildout rules', () => {
  it('on curated expressions', async (ctx) => {
    if (!python) ctx.skip(skipWhy);
    compare(CURATED, await reference(CURATED));
  });

  it('on generated expressions', async (ctx) => {
    if (!python) ctx.skip(skipWhy);
    const exprs = fc.sample(expression(), { numRuns: 400, seed: 4242 });
    compare(exprs, await reference(exprs));
  });
});

// Expressions built from what we support; `is` only with singletons (identity of equal
// ints/strings is an implementation detail of CPython).
function expression(): fc.Arbitrary<string> {
  const atom = fc.oneof(
    fc.constantFrom('python3', 'python27', 'python311', 'linux', 'windows', 'bits64', 'big_endian', 'cpython', 'pypy', 'posix'),
    fc.constantFrom('sys.platform', 'os.name', 'sys.version_info', 'sys.version_info[:2]', 'sys.version_info[0]', 'sys.maxsize', 'sys.byteorder'),
    fc.constantFrom('platform.system()', 'platform.machine()', 'platform.python_version()', 'True', 'False', 'None', '()', '""'),
    fc.integer({ min: -5, max: 40 }).map(String),
    fc.constantFrom('"linux"', "'3.11'", '"x86_64"', '"Linux"', '(3, 8)', '(3, 11, 7)', '(3,)', '[2, 7]', '"posix"'),
  );
  const markerAtom = fc
    .tuple(
      fc.constantFrom('python_version', 'python_full_version', 'sys_platform', 'os_name', 'platform_system', 'platform_machine', 'implementation_name'),
      fc.constantFrom('==', '!=', '<', '<=', '>', '>=', 'in', 'not in', '~='),
      fc.constantFrom('"3.11"', '"3.8"', '"3.12.0"', '"linux"', '"Linux"', '"posix"', '"x86_64"', '"3"', '"cpython"', '"3.11.*"'),
    )
    .map(([v, op, s]) => `${v} ${op} ${s}`);
  const { expr } = fc.letrec((tie) => ({
    expr: fc.oneof({ depthSize: 'small', withCrossShrink: true }, atom, tie('binary'), tie('unary'), tie('paren')),
    binary: fc
      .tuple(tie('expr'), fc.constantFrom('and', 'or', '==', '!=', '<', '>=', 'in', 'not in', '+', '-', 'is None', 'is not None'), tie('expr'))
      .map(([a, op, b]) => (op.startsWith('is') ? `${a} ${op}` : `${a} ${op} ${b}`)),
    unary: tie('expr').map((e) => `not ${e}`),
    paren: tie('expr').map((e) => `(${e})`),
  }));
  return fc.oneof(expr as fc.Arbitrary<string>, markerAtom, fc.tuple(markerAtom, markerAtom).map(([a, b]) => `${a} and ${b}`));
}
