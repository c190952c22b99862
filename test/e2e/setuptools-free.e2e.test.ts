// No setuptools assumptions: the buildout's environment may hold the newest setuptools
// (82 and later have no pkg_resources) or an older one a user pins; Zope builds and
// serves either way, a develop egg built with a setuptools >= 82 back-end gets a working
// console script, and none of our generated scripts imports pkg_resources. Python recipes
// run in their own environment with the real zc.buildout, which needs pkg_resources: a
// user's `setuptools = 84.0.0` pin applies to the buildout's environment only, also when
// both environments are locked and installed --frozen.
import { cpSync, existsSync, readFileSync, readdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, killFromPidFile, runScript } from '../fixtures/instance/harness.js';
import { parseLock } from '../../src/lock/lock-file.js';

const pidFiles: string[] = [];
afterEach(async () => {
  for (const f of pidFiles.splice(0)) await killFromPidFile(f);
});

const HELLO = {
  'src/hello/pyproject.toml': `[build-system]\nrequires = ["setuptools>=82"]\nbuild-backend = "setuptools.build_meta"\n\n[project]\nname = "hello"\nversion = "1.0"\n\n[project.scripts]\nhello = "hello:main"\n`,
  'src/hello/hello/__init__.py': 'def main():\n    import importlib.util\n    print("hello; pkg_resources importable:", importlib.util.find_spec("pkg_resources") is not None)\n',
};

function zopeBuildout(port: number): Record<string, string> {
  return {
    'buildout.cfg': `[buildout]
extends = versions.cfg
develop = src/hello
parts = instance scripts

[instance]
recipe = plone.recipe.zope2instance
user = admin:not-a-real-password
http-address = 127.0.0.1:${port}
zodb-temporary-storage = off
eggs =
    Zope
    Paste
    setuptools
    hello

[scripts]
recipe = zc.recipe.egg:scripts
eggs = hello
`,
    ...HELLO,
  };
}

function py(python: string, code: string): { code: number | null; out: string } {
  const r = spawnSync(python, ['-c', code], { encoding: 'utf8' });
  return { code: r.status, out: (r.stdout + r.stderr).trim() };
}

async function buildAndServe(dir: string, port: number, args: string[] = []): Promise<void> {
  const built = runCli(args, { cwd: dir, timeoutMs: 600_000 });
  expect(built.exitCode, built.stderr).toBe(0);
  const script = join(dir, 'bin', 'instance');
  pidFiles.push(join(dir, 'var', 'instance.pid'));
  const start = runScript(script, ['start'], { cwd: dir, timeoutMs: 180_000 });
  expect(start.code, start.output).toBe(0);
  try {
    const page = await http('GET', port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('Zope');
  } finally {
    expect(runScript(script, ['stop'], { cwd: dir }).code).toBe(0);
  }
}

describe('the buildout environment does not need pkg_resources', () => {
  it('setuptools 84 (examples/versions.cfg): Zope serves, a develop egg built with setuptools >= 82 has a working script', async () => {
    const port = await freePort();
    const dir = testdir(zopeBuildout(port));
    cpSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), join(dir, 'versions.cfg'));
    await buildAndServe(dir, port);
    const python = join(dir, '.buildout', 'venv', 'bin', 'python');
    expect(py(python, 'import setuptools; print(setuptools.__version__)').out).toBe('84.0.0');
    expect(py(python, 'import pkg_resources').code, 'setuptools 84 has no pkg_resources').not.toBe(0);
    const hello = spawnSync(join(dir, 'bin', 'hello'), { encoding: 'utf8' });
    expect(hello.stdout.trim(), hello.stderr).toBe('hello; pkg_resources importable: False');
    for (const f of readdirSync(join(dir, 'bin'))) expect(readFileSync(join(dir, 'bin', f), 'utf8'), f).not.toContain('pkg_resources');
  });

  it('a user pin setuptools = 81.0.0 works too', async () => {
    const port = await freePort();
    const dir = testdir(zopeBuildout(port));
    cpSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), join(dir, 'versions.cfg'));
    await buildAndServe(dir, port, ['versions:setuptools=81.0.0']);
    const python = join(dir, '.buildout', 'venv', 'bin', 'python');
    expect(py(python, 'import setuptools; print(setuptools.__version__)').out).toBe('81.0.0');
    expect(spawnSync(join(dir, 'bin', 'hello'), { encoding: 'utf8' }).stdout.trim()).toBe('hello; pkg_resources importable: True');
  });
});

describe('Python recipes keep their setuptools < 82 whatever [versions] pins', () => {
  const CFG = `[buildout]
parts = cmd py

[cmd]
recipe = collective.recipe.cmd
on_install = true
cmds = echo ran > \${buildout:directory}/cmd.txt

[py]
recipe = zc.recipe.egg
interpreter = py
eggs = setuptools

[versions]
setuptools = 84.0.0
collective.recipe.cmd = 1.0.0
`;

  it('setuptools = 84.0.0: the recipe runs; each environment has its own setuptools; both are locked and installed --frozen', () => {
    const dir = testdir({ 'buildout.cfg': CFG });
    const r = runCli([], { cwd: dir, timeoutMs: 600_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'cmd.txt'), 'utf8').trim()).toBe('ran');
    const recipes = join(dir, '.buildout', 'recipes', 'bin', 'python');
    const host = py(recipes, 'import setuptools, pkg_resources; print(setuptools.__version__)');
    expect(host.code, host.out).toBe(0);
    expect(Number(host.out.split('.')[0])).toBeLessThan(82);
    expect(py(join(dir, 'bin', 'py'), 'import setuptools; print(setuptools.__version__)').out).toBe('84.0.0');

    const locked = runCli(['lock'], { cwd: dir, timeoutMs: 300_000 });
    expect(locked.exitCode, locked.stderr).toBe(0);
    const lock = parseLock(readFileSync(join(dir, 'buildout.lock'), 'utf8'), 'buildout.lock');
    const version = (table: string, name: string) => lock.environments[table]!.packages.find((p) => p.name === name)?.version;
    expect(version('venv', 'setuptools')).toBe('84.0.0');
    expect(Number(version('recipes', 'setuptools')!.split('.')[0])).toBeLessThan(82);
    expect(version('recipes', 'collective-recipe-cmd')).toBe('1.0.0');
    expect(version('recipes', 'zc-buildout')).toBe('6.0.1');
    expect(lock.environments.recipes!.path).toBe('.buildout/recipes');

    const fresh = testdir();
    for (const f of ['buildout.cfg', 'buildout.lock']) cpSync(join(dir, f), join(fresh, f));
    const frozen = runCli(['--frozen'], { cwd: fresh, timeoutMs: 600_000 });
    expect(frozen.exitCode, frozen.stderr).toBe(0);
    expect(frozen.stderr.match(/Installing the \d+ distributions of .*buildout\.lock \(--frozen\)/g)?.length, 'both environments from the lock').toBe(2);
    expect(existsSync(join(fresh, 'cmd.txt'))).toBe(true);
    expect(py(join(fresh, 'bin', 'py'), 'import setuptools; print(setuptools.__version__)').out).toBe('84.0.0');
  });
});
