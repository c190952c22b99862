import { describe, expect, it } from 'vitest';
import { BuildoutError, formatUserError } from '../../errors.js';
import type { PythonFacts } from '../../python/types.js';
import { CTX, LINUX_311, MAC_PYPY_310, S390_313RC, WINDOWS_27_32 } from './fixtures.js';
import { evaluateConditionWithFacts } from './index.js';

const FACTS = { linux: LINUX_311, win: WINDOWS_27_32, mac: MAC_PYPY_310, s390: S390_313RC } as const;
type Row = [expr: string, linux: boolean, win: boolean, mac: boolean, s390: boolean];

function check(rows: Row[]) {
  it.each(rows)('%s', (expr, ...expected) => {
    const got = (Object.values(FACTS) as PythonFacts[]).map((f) => evaluateConditionWithFacts(expr, f, CTX));
    expect(got).toEqual(expected);
  });
}

function errorOf(expr: string, facts: PythonFacts = LINUX_311): BuildoutError {
  try {
    evaluateConditionWithFacts(expr, facts, CTX);
  } catch (e) {
    expect(e).toBeInstanceOf(BuildoutError);
    return e as BuildoutError;
  }
  throw new Error(`expected ${JSON.stringify(expr)} to fail`);
}

describe('conditions seen in real configs', () => {
  //           expr                                                           linux  win    mac    s390
  check([
    ['python27', false, true, false, false],
    ['windows', false, true, false, false],
    ['python_version >= "3.13"', false, false, false, true],
    ['sys.version_info >= (3, 8)', true, false, true, true],
    ['python3 and linux', true, false, false, true],
    ['not windows', true, false, true, true],
    ['platform_system == "Linux" and python_version < "3.12"', true, false, false, false],
    ['sys_platform == "win32"', false, true, false, false],
    ["sys.platform.startswith('linux')", true, false, false, true],
    ['python2', false, true, false, false],
    ['python310 or python311', true, false, true, false],
    ['macosx and pypy', false, false, true, false],
  ]);
});

describe('zc.buildout names (python2 … big_endian)', () => {
  check([
    ['python3', true, false, true, true],
    ['python24', false, false, false, false],
    ['python36', false, false, false, false],
    ['python39', false, false, false, false],
    ['python310', false, false, true, false],
    ['python311', true, false, false, false],
    ['python313', false, false, false, true],
    ['python315', false, false, false, false],
    ['cpython', true, true, false, true],
    ['pypy', false, false, true, false],
    ['jython or ironpython', false, false, false, false],
    ['linux', true, false, false, true],
    ['cygwin or solaris', false, false, false, false],
    ['macosx', false, false, true, false],
    ['posix', true, false, true, true],
    ['bits32', false, true, false, false],
    ['bits64', true, false, true, true],
    ['little_endian', true, true, true, false],
    ['big_endian', false, false, false, true],
  ]);
});

describe('PEP 508 markers', () => {
  check([
    ['python_version == "3.11"', true, false, false, false],
    ["python_version != '3.11'", false, true, true, true],
    ['python_version <= "3.10"', false, true, true, false],
    ['python_version > "3.10"', true, false, false, true],
    ['python_version ~= "3.10"', true, false, true, true],
    ['python_full_version == "3.11.*"', true, false, false, false],
    ['python_full_version < "3.13"', true, true, true, false], // 3.13.0rc1 is a pre-release of 3.13
    ['python_full_version >= "3.13.0rc1"', false, false, false, true],
    ['python_full_version === "3.11.2"', true, false, false, false],
    ['os_name == "nt"', false, true, false, false],
    ['os.name == "posix"', true, false, true, true], // the old dotted spelling is still a marker
    ['sys_platform in "linux darwin"', true, false, true, true],
    ['"lin" in sys_platform', true, false, false, true],
    ['sys_platform not in "win32 cygwin"', true, false, true, true],
    ['platform_machine == "x86_64" or platform_machine == "arm64"', true, false, true, false],
    ['platform_python_implementation == "PyPy"', false, false, true, false],
    ['python_implementation == "CPython"', true, true, false, true],
    ['implementation_name == "cpython"', true, true, false, true],
    ['implementation_version >= "7"', false, false, true, false],
    ['platform_release >= "5"', false, true, true, true], // Debian's 6.1.0-18-amd64 is no PEP 440 version
    ['platform_version != ""', true, true, true, true],
    ['platform_system == "Darwin" or (platform_system == "Linux" and python_version >= "3.12")', false, false, true, true],
    ['extra == "test"', false, false, false, false],
    ['extra != "test"', true, true, true, true],
    // non-version variables compare as strings: `<`/`>` are false, `<=`/`>=` mean equality
    ['sys_platform < "zzz"', false, false, false, false],
    ['sys_platform >= "linux"', true, false, false, true],
    ['python_version == "three"', false, false, false, false],
  ]);
});

describe('Python expressions', () => {
  check([
    ['sys.version_info[0] == 3', true, false, true, true],
    ['sys.version_info[:2] >= (3, 10)', true, false, true, true],
    ['sys.version_info.major == 2', false, true, false, false],
    ['sys.version_info[-1] == 0 and sys.version_info.releaselevel == "final"', true, true, true, false],
    ['sys.version_info < (3, 13, 0, "final")', true, true, true, true],
    ['sys.maxsize > 2**32 if False else sys.maxsize > 4294967296', true, false, true, true],
    ['sys.byteorder == "little"', true, true, true, false],
    ['sys.implementation.name == "pypy"', false, false, true, false],
    ["os.name == 'nt'", false, true, false, false],
    ['os.sep == "/"', true, false, true, true],
    ['platform.system() == "Windows"', false, true, false, false],
    ['platform.machine() in ("x86_64", "AMD64")', true, true, false, false],
    ['platform.python_implementation() != "PyPy"', true, true, false, true],
    ['platform.python_version().startswith("3.1")', true, false, true, true],
    ['platform.release() == "10"', false, true, false, false],
    ['re.match(r"linux|darwin", sys.platform) is not None', true, false, true, true],
    ['re.search("PyPy", sys.version)', false, false, true, false],
    ['int(platform.python_version_tuple()[1]) >= 11', true, false, false, true],
    ['len(sys.platform) == 5', true, true, false, true],
    ['any((windows, macosx))', false, true, true, false],
    ['all([python3, bits64, not big_endian])', true, false, true, false],
    ['str(sys.version_info[0]) + "." + str(sys.version_info[1]) == "2.7"', false, true, false, false],
    ['1 < sys.version_info[1] < 11', false, true, true, false],
    ['not (linux or macosx)', false, true, false, false],
    ['sys.platform.lower().endswith(("32", "in"))', false, true, true, false],
    ['-1 < 0 and +2 == 2 and 2 * 3 == 6 and 5 - 7 == -2', true, true, true, true],
    ['-2**2 == -4 and 2**-1 == 0.5 and 2**3**2 == 512 and 2**64 > sys.maxsize', true, true, true, true],
    ['"a" "b" == "ab" and \'\\x41\' == "A" and "\\u00e9" == "é"', true, true, true, true],
    ['None is None and True is not False and None != 0', true, true, true, true],
    ['() or [] or "" or 0 or None', false, false, false, false],
    ['(0, 0)', true, true, true, true], // a non-empty tuple is true
    ['True == 1 and 1 == 1.0 and 3.10 < 3.9', true, true, true, true],
    ['"x" if windows else ""', false, true, false, false],
    ['max(sys.version_info[:3]) >= 11', true, true, true, true],
    ['platform.python_version_tuple()[2] == "0rc1"', false, false, false, true],
    ['platform.python_version_tuple() == ("3", "11", "2")', true, false, false, false],
  ]);
});

describe('truthiness of the bracketed list (zc.buildout evaluates `[EXPR]` and takes item 0)', () => {
  check([
    ['windows, True', false, true, false, false],
    ['True, windows', true, true, true, true],
    ['linux,', true, false, false, true],
    ['0, 1', false, false, false, false],
  ]);

  it('evaluates every item, so an unknown name in a later item is still an error', () => {
    expect(errorOf('True, no_such_name').message).toContain("name 'no_such_name' is not defined");
  });
});

describe('errors', () => {
  it('names file:line, section, expression and the unknown name, with a did-you-mean hint', () => {
    const e = errorOf('pyton3 and linux');
    expect(e.code).toBe('ConditionError');
    expect(e.loc).toEqual(CTX.loc);
    expect(e.section).toBe('versions');
    expect(formatUserError(e)).toContain('at /srv/site/buildout.cfg:12 [versions]');
    expect(e.message).toContain('[versions:pyton3 and linux]');
    expect(e.message).toContain("name 'pyton3' is not defined");
    expect(e.hint).toMatch(/^Did you mean 'python3'\? /);
    expect(e.hint).toContain('bits64');
    expect(formatUserError(e)).toContain('Hint: Did you mean');
  });

  it('suggests close attribute names', () => {
    const e = errorOf('sys.platfrom == "linux"');
    expect(e.message).toContain("module 'sys' has no attribute 'platfrom'");
    expect(e.hint).toMatch(/Did you mean 'platform'/);
  });

  it.each([' ', '', '\t'])('rejects a blank expression %j clearly (zc.buildout crashes with IndexError)', (expr) => {
    const e = errorOf(expr);
    expect(e.code).toBe('ConditionError');
    expect(e.message).toContain('Empty condition');
    expect(e.hint).toContain('[versions]');
  });

  it.each([
    ['python3 and', /SyntaxError: invalid syntax: unexpected end of expression/],
    ['(python3', /SyntaxError/],
    ['"unterminated', /unterminated string literal/],
    ['python_version >= 3.8 and ?', /invalid character/],
    ['lambda: True', /unsupported expression: 'lambda'/],
    ['[x for x in (1, 2)]', /unsupported expression: 'for'/],
    ['7 // 2', /unsupported expression: the operator '\/\/'/],
    ['1 | 2', /the operator '\|'/],
    ['f"{sys.platform}"', /f-strings are not supported/],
    ['int(x=1)', /keyword arguments are not supported/],
    ['sys.platform < 3', /'<' not supported between instances of 'str' and 'int'/],
    ['1 in sys.platform', /'in <string>' requires string as left operand, not int/],
    ['sys.version_info[7]', /IndexError: sys.version_info index out of range/],
    ['os.environ["BUILDOUT_TS_SURELY_UNSET_VARIABLE"]', /KeyError/],
    ['sys.platform()', /'str' object is not callable/],
    ['python_version ~= "linux"', /undefined comparison '~='/],
    ['python3 <> python2', /'<>' operator does not exist/],
  ])('%s → %s', (expr, pattern) => {
    const e = errorOf(expr);
    expect(e.code).toBe('ConditionError');
    expect(e.message).toMatch(pattern);
    expect(e.message).toContain(`[versions:${expr.trim()}]`);
  });
});

describe('the machine it runs on', () => {
  it('reads os.environ and os.path from this process', () => {
    process.env.BUILDOUT_TS_CONDITION_TEST = 'yes';
    expect(evaluateConditionWithFacts('os.environ.get("BUILDOUT_TS_CONDITION_TEST") == "yes"', LINUX_311, CTX)).toBe(true);
    expect(evaluateConditionWithFacts('"BUILDOUT_TS_CONDITION_TEST" in os.environ', LINUX_311, CTX)).toBe(true);
    delete process.env.BUILDOUT_TS_CONDITION_TEST;
    expect(evaluateConditionWithFacts('os.path.exists("/")', LINUX_311, CTX)).toBe(true);
    expect(evaluateConditionWithFacts('os.path.isfile("/surely/not/here.cfg")', LINUX_311, CTX)).toBe(false);
  });
});
