// zc.recipe.egg:develop (BTrees' buildout uses it), side by side with the real zc.buildout 6 and
// zc.recipe.egg 6 from PyPI on the same buildout.cfg: a local project developed by a part, whose
// console script another part generates. Both leave the same egg-link and record the same
// options; the script runs the project's code in place; removing the part removes the egg-link
// and, here, takes the project out of the environment.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { runZcBuildout, zcBuildout } from '../helpers/reference.js';
import { parseInstalled } from '../../src/state/installed-format.js';

const config = (parts: string) => `[buildout]
parts = ${parts}

[develop]
recipe = zc.recipe.egg:develop
setup = pkg

[scripts]
recipe = zc.recipe.egg
eggs = demo.app

[versions]
zc.recipe.egg = 6.0.0
`;

const PROJECT: Record<string, string> = {
  'pkg/setup.py': 'from setuptools import setup\nsetup(name="demo.app", version="1.0", packages=["demo_app"], entry_points={"console_scripts": ["demo=demo_app:main"]})\n',
  'pkg/demo_app/__init__.py': 'def main():\n    print("first")\n',
};

/** The [develop] options .installed.cfg records, the root replaced and zc.buildout's signature left out. */
function recordedDevelop(root: string): Record<string, string> {
  const file = join(root, '.installed.cfg');
  const { __buildout_signature__: _sig, ...rest } = parseInstalled(readFileSync(file, 'utf8'), file).get('develop') ?? {};
  return Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, v.split(root).join('<root>').replace(/^(?!<root>)(develop-eggs\/)/, '<root>/$1')]));
}

describe('zc.recipe.egg:develop, compared with the real zc.buildout', () => {
  it('the same egg-link and recorded options; the script runs the project in place; removing the part removes both', { timeout: 600_000 }, () => {
    const ours = testdir({ 'buildout.cfg': config('develop scripts'), ...PROJECT });
    const real = testdir({ 'buildout.cfg': config('develop scripts'), ...PROJECT });
    const a = runCli([], { cwd: ours, timeoutMs: 600_000 });
    expect(a.exitCode, a.stderr).toBe(0);
    const r = runZcBuildout(zcBuildout(), real);
    expect(r.exitCode, r.output).toBe(0);

    for (const root of [ours, real]) {
      expect(readFileSync(join(root, 'develop-eggs', 'demo.app.egg-link'), 'utf8'), root).toBe(`${join(root, 'pkg')}\n.`);
      const run = spawnSync(join(root, 'bin', 'demo'), { encoding: 'utf8' });
      expect(run.stdout, run.stderr).toBe('first\n');
    }
    expect(recordedDevelop(ours)).toEqual(recordedDevelop(real));

    // development mode: a change of the code is seen without a buildout run
    writeFileSync(join(ours, 'pkg', 'demo_app', '__init__.py'), 'def main():\n    print("second")\n');
    expect(spawnSync(join(ours, 'bin', 'demo'), { encoding: 'utf8' }).stdout).toBe('second\n');

    // the part removed: its egg-link goes, and the project leaves our environment
    for (const root of [ours, real]) writeFileSync(join(root, 'buildout.cfg'), config(''));
    const a2 = runCli([], { cwd: ours, timeoutMs: 600_000 });
    expect(a2.exitCode, a2.stderr).toBe(0);
    const r2 = runZcBuildout(zcBuildout(), real);
    expect(r2.exitCode, r2.output).toBe(0);
    for (const root of [ours, real]) expect(existsSync(join(root, 'develop-eggs', 'demo.app.egg-link')), root).toBe(false);
    const gone = spawnSync(join(ours, '.buildout', 'venv', 'bin', 'python'), ['-c', 'import demo_app'], { encoding: 'utf8' });
    expect(gone.status).not.toBe(0);
    expect(gone.stderr).toContain("No module named 'demo_app'");
  });

  it('a setup that is not a project: one error naming the file, line, part and option', () => {
    const root = testdir({ 'buildout.cfg': config('develop') });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('[develop] setup: not a Python project (no pyproject.toml, setup.py or setup.cfg there)');
    expect(r.stderr).toMatch(/buildout\.cfg:6 \[develop\] setup/);
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });
});
