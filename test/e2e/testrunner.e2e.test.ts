// zc.recipe.testrunner, built in: bin/test runs zope.testrunner (from PyPI) over
// the tests of the eggs only — a develop egg's source directory, an installed
// distribution's own packages — with the recipe's options; a failing test makes a
// non-zero exit. Then the same configurations against the real recipe run by the
// real zc.buildout 6.0.1: the same files, the same script (but for the sys.path
// lines of each one's environment), the same test output, also after an option change.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { requireTestrunnerWired, writeFiles } from '../helpers/vcs.js';
import { referenceEggs, runZcBuildout, zcBuildout } from '../helpers/reference.js';

// the versions both sides install (zc.recipe.testrunner 5.0's own requirements)
const VERSIONS = ['[versions]', 'zope.testrunner = 8.3', 'zope.interface = 8.7', 'zope.exceptions = 6.0', 'zc.recipe.testrunner = 5.0', 'zc.recipe.egg = 6.0.0', 'setuptools = 80.9.0', 'packaging = 25.0', ''];

function demoProject(name: string, tests: string): Record<string, string> {
  const module = name.replace(/\./g, '_');
  return {
    [`${name}/setup.py`]: `from setuptools import setup\nsetup(name=${JSON.stringify(name)}, version='1.0', packages=[${JSON.stringify(module)}])\n`,
    [`${name}/${module}/__init__.py`]: '',
    [`${name}/${module}/tests.py`]: tests,
  };
}

const PASSING = 'import os, unittest\n\nclass TestDemo(unittest.TestCase):\n    def test_env(self):\n        self.assertEqual(os.environ.get("DEMO_VALUE"), "42")\n\n    def test_cwd(self):\n        self.assertTrue(os.path.exists("marker-of-the-working-directory"))\n';
const FAILING = 'import unittest\n\nclass TestBroken(unittest.TestCase):\n    def test_fails(self):\n        self.assertEqual(1, 2)\n';

function runTest(root: string, script = 'bin/test', args: string[] = []): { status: number | null; out: string } {
  const r = spawnSync(join(root, script), args, { cwd: root, encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr };
}

describe('zc.recipe.testrunner, built in', () => {
  it('bin/test runs the tests of the eggs with the environment and working directory; a failure exits non-zero', () => {
    requireTestrunnerWired();
    const root = testdir({
      ...demoProject('demo', PASSING),
      ...demoProject('broken', FAILING),
      'buildout.cfg': ['[buildout]', 'develop = demo broken', 'parts = test', '', '[test]', 'recipe = zc.recipe.testrunner', 'eggs = demo', "defaults = ['-vv']", 'environment = testenv', 'working-directory = ${buildout:directory}/work', '', '[testenv]', 'DEMO_VALUE = 42', '', ...VERSIONS].join('\n'),
      'work/marker-of-the-working-directory': '',
    });
    const r = runCli([], { cwd: root });
    expect(r.stderr).toContain(`Generated script '${join(root, 'bin/test')}'.`);
    expect(r.exitCode).toBe(0);
    expect(statSync(join(root, 'bin/test')).mode & 0o777).toBe(0o755);
    const ok = runTest(root);
    expect(ok.out).toContain('Ran 2 tests with 0 failures, 0 errors and 0 skipped');
    expect(ok.out).toContain('test_env (demo.tests.TestDemo');
    expect(ok.status).toBe(0);
    // a working directory given by the user is not the part's: no parts/test
    expect(existsSync(join(root, 'parts/test'))).toBe(false);

    writeFileSync(join(root, 'buildout.cfg'), readFileSync(join(root, 'buildout.cfg'), 'utf8').replace('eggs = demo', 'eggs =\n    demo\n    broken'));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const failing = runTest(root);
    expect(failing.out).toContain('Ran 3 tests with 1 failures, 0 errors and 0 skipped');
    expect(failing.out).toContain('AssertionError: 1 != 2');
    expect(failing.status).not.toBe(0);
  });

  it('an installed distribution: its own tests only; the part directory, script name and a no-op run', () => {
    requireTestrunnerWired();
    const root = testdir({ 'buildout.cfg': ['[buildout]', 'parts = test', '', '[test]', 'recipe = zc.recipe.testrunner', 'eggs = zope.exceptions', 'script = test-exceptions', '', ...VERSIONS].join('\n') });
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(statSync(join(root, 'parts/test')).isDirectory()).toBe(true);
    const r = runTest(root, 'bin/test-exceptions', ['--list-tests']);
    expect(r.status).toBe(0);
    const tests = r.out.split('\n').filter((l) => / \(/.test(l));
    expect(tests.length).toBeGreaterThan(10);
    expect(tests.every((l) => l.includes('zope.exceptions.tests'))).toBe(true);
    const noop = runCli([], { cwd: root });
    expect(noop.stderr).toBe('test: unchanged\n');
  });
});

describe('zc.recipe.testrunner and develop eggs', () => {
  it('an egg that becomes a develop egg (mr.developer activating a checkout) gets its tests from the source at the next run', () => {
    requireTestrunnerWired();
    const root = testdir({ ...demoProject('demo', FAILING), 'buildout.cfg': '' });
    const wheels = join(root, 'wheels');
    // built from a copy: the build leaves a build/ directory behind
    cpSync(join(root, 'demo'), join(root, 'wheel-src'), { recursive: true });
    const built = spawnSync('python3', ['-m', 'pip', 'wheel', '--quiet', '--no-deps', '--disable-pip-version-check', '-w', wheels, join(root, 'wheel-src')], { encoding: 'utf8' });
    expect(built.status, built.stderr).toBe(0);
    // the source moves on after the wheel was made: its tests now pass
    writeFileSync(join(root, 'demo/demo/tests.py'), 'import unittest\n\nclass TestFixed(unittest.TestCase):\n    def test_fixed(self):\n        pass\n');
    const cfg = (develop: string) => ['[buildout]', `develop = ${develop}`, `find-links = ${wheels}`, 'parts = test', '', '[test]', 'recipe = zc.recipe.testrunner', 'eggs = demo', '', ...VERSIONS].join('\n');
    writeFileSync(join(root, 'buildout.cfg'), cfg(''));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(runTest(root).out).toContain('Ran 1 tests with 1 failures');
    writeFileSync(join(root, 'buildout.cfg'), cfg('demo'));
    const r = runCli([], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    const fixed = runTest(root);
    expect(fixed.out).toContain('Ran 1 tests with 0 failures');
    expect(fixed.status).toBe(0);
    expect(readFileSync(join(root, 'bin/test'), 'utf8')).toContain(`'--test-path', '${join(root, 'demo')}',`);
  });
});

// --- against the real recipe ---

interface Case {
  name: string;
  test: string[];
  extra?: string[];
  /** the option change of the second run */
  change?: [string, string];
  /** the script's arguments differ on purpose: an installed distribution's tests (docs/differences.md) */
  installed?: boolean;
}

const CASES: Case[] = [
  { name: 'defaults, environment, the part directory', test: ['eggs = demo', "defaults = ['--auto-color', '-v']", 'environment = testenv'], extra: ['[testenv]', 'DEMO_VALUE = 42', 'OTHER = a b'], change: ["defaults = ['--auto-color', '-v']", "defaults = ['-q']"] },
  {
    name: 'working-directory, extra-paths, a multi-line initialization, script',
    test: ['eggs = demo', 'script = runtests', 'working-directory = ${buildout:directory}/work', 'extra-paths = ${buildout:directory}/lib', '    /usr/local/zope/lib/python', "initialization = import os", "    os.environ['DEMO_VALUE'] = '42'"],
    change: ['working-directory = ${buildout:directory}/work', 'working-directory ='],
  },
  {
    name: 'an installed distribution and a src-layout develop egg (the test output, not the script text)',
    test: ['eggs =', '    zope.exceptions', '    srcdemo', 'environment = testenv'],
    extra: ['[testenv]', 'DEMO_VALUE = 42'],
    installed: true,
  },
  { name: 'relative-paths at the buildout level', test: ['eggs = demo', 'extra-paths = ${buildout:directory}/lib', 'environment = testenv'], extra: ['[testenv]', 'DEMO_VALUE = 42'], change: ['extra-paths = ${buildout:directory}/lib', 'extra-paths ='] },
];

function configFor(c: Case, relative: boolean): string {
  return ['[buildout]', 'develop = demo srcdemo', 'parts = test', ...(relative ? ['relative-paths = true'] : []), '', '[test]', 'recipe = zc.recipe.testrunner', ...c.test, '', ...(c.extra ?? []), '', ...VERSIONS].join('\n');
}

// a develop egg whose .pth names its source directory (src layout)
const SRC_LAYOUT = {
  'srcdemo/pyproject.toml': '[project]\nname = "srcdemo"\nversion = "1.0"\n[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[tool.setuptools.packages.find]\nwhere = ["src"]\n',
  'srcdemo/src/srcdemo/__init__.py': '',
  'srcdemo/src/srcdemo/tests.py': 'import unittest\n\nclass TestSrc(unittest.TestCase):\n    def test_src(self):\n        pass\n',
};

// what each side's script holds but for its own environment's sys.path lines (eggs, site-packages, develop-eggs)
function comparable(text: string, root: string, envDirs: string[]): string {
  const lines = text.split('\n').slice(1);
  const out: string[] = [];
  let inPath = false;
  for (const l of lines) {
    if (l.startsWith('sys.path[0:0] = [')) inPath = true;
    else if (inPath && l.trim() === ']') inPath = false;
    else if (inPath && envDirs.some((d) => l.includes(d))) continue;
    out.push(l.split(root).join('<root>'));
  }
  return out.join('\n');
}

function files(root: string): string[] {
  return ['bin', 'parts'].flatMap((d) => (existsSync(join(root, d)) ? readdirSync(join(root, d)).filter((f) => f !== 'buildout').map((f) => `${d}/${f}`) : [])).sort();
}

// zope.testrunner's output without timings
const testOutput = (s: string, root: string) => s.split(root).join('<root>').replace(/\d+\.\d+ seconds/g, 'N seconds').replace(/\(\d+\.\d+ s\)/g, '(N s)');

describe('zc.recipe.testrunner against the real one (zc.buildout 6.0.1 from PyPI)', () => {
  it.each(CASES.flatMap((c) => [[c.name, c, c.name.startsWith('relative')] as const]))('%s', (_name, c, relative) => {
    requireTestrunnerWired();
    const ref = zcBuildout();
    const base = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-testrunner-zc-')));
    onTestFinished(() => void (process.env.KEEP_TESTDIR || rmSync(base, { recursive: true, force: true })));
    const roots = { zc: join(base, 'zc'), ours: join(base, 'ours') };
    for (const root of Object.values(roots)) {
      writeFiles(root, { ...demoProject('demo', PASSING), ...SRC_LAYOUT, 'buildout.cfg': configFor(c, relative), 'work/marker-of-the-working-directory': '', 'lib/.keep': '' });
    }
    // the entries of each one's environment: zc.buildout's eggs, develop-eggs and own site-packages; our venv
    const envDirs = { zc: [referenceEggs(), join(roots.zc, 'develop-eggs'), "join(base, 'develop-eggs')", 'site-packages'], ours: [join(roots.ours, '.buildout')] };
    for (const round of [1, 2]) {
      if (round === 2) {
        if (!c.change) break;
        for (const root of Object.values(roots)) writeFileSync(join(root, 'buildout.cfg'), readFileSync(join(root, 'buildout.cfg'), 'utf8').replace(c.change[0], c.change[1]));
      }
      const zc = runZcBuildout(ref, roots.zc);
      expect(zc.exitCode, zc.stdout + zc.stderr).toBe(0);
      const ours = runCli([], { cwd: roots.ours });
      expect(ours.exitCode, ours.stderr).toBe(0);
      expect(files(roots.ours), `round ${round}`).toEqual(files(roots.zc));
      const name = c.test.find((l) => l.startsWith('script = '))?.slice('script = '.length) ?? 'test';
      const text = (which: 'zc' | 'ours') => comparable(readFileSync(join(roots[which], 'bin', name), 'utf8'), roots[which], envDirs[which]);
      if (!c.installed) expect(text('ours'), `round ${round}`).toBe(text('zc'));
      expect(recorded(roots.ours), `round ${round}`).toEqual(recorded(roots.zc));
      const run = (which: 'zc' | 'ours') => {
        const r = runTest(roots[which], join('bin', name), ['-vv']);
        return { status: r.status, out: testOutput(r.out, roots[which]) };
      };
      expect(run('ours'), `round ${round}`).toEqual(run('zc'));
    }
  });
});

// the part's options in .installed.cfg, but for the eggs directory (the reference run shares one)
function recorded(root: string): Record<string, string> {
  const text = readFileSync(join(root, '.installed.cfg'), 'utf8');
  const out: Record<string, string> = {};
  let inPart = false;
  let key = '';
  for (const line of text.split('\n')) {
    if (line.startsWith('[')) inPart = line === '[test]';
    else if (inPart && line.startsWith('\t')) out[key] += '\n' + line.slice(1);
    else if (inPart && line.includes(' = ')) {
      key = line.slice(0, line.indexOf(' = '));
      out[key] = line.slice(line.indexOf(' = ') + 3);
    }
  }
  for (const k of ['__buildout_installed__', '__buildout_signature__', 'eggs-directory', '_e', '__buildout_ts_develop_digest__']) delete out[k];
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.split(root).join('<root>')]));
}
