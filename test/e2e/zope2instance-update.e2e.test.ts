// The recipe's update(): zope.conf, wsgi.ini, package-includes and scripts are
// regenerated, inituser is kept; a failing install removes the part again. The Python
// environment is a real one with Zope from PyPI, made by buildout-ts itself.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log.js';
import type { PythonEnv } from '../../src/python/types.js';
import recipe from '../../src/recipes/zope2instance/index.js';
import hooks from '../../src/recipes/zope2instance/hooks.js';
import type { BuildoutView, RecipeContext } from '../../src/recipes/types.js';
import type { InstanceOptions } from '../../src/recipes/zope2instance/schema.js';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

let env: PythonEnv;
let venvRoot: string;
beforeAll(async () => {
  venvRoot = testdir({}, { keep: true });
  writeFileSync(join(venvRoot, 'buildout.cfg'), `[buildout]\nextends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}\nparts = instance\n\n[instance]\nrecipe = plone.recipe.zope2instance\nuser = admin:admin\neggs =\n`);
  const r = runCli([], { cwd: venvRoot });
  if (r.exitCode !== 0) throw new Error(r.stderr);
  const prefix = join(venvRoot, '.buildout', 'venv');
  const python = join(prefix, 'bin', 'python');
  const sitePackages = spawnSync(python, ['-c', 'import sysconfig; print(sysconfig.get_paths()["purelib"])'], { encoding: 'utf8' }).stdout.trim();
  env = { baseExecutable: python, prefix, python, binDir: join(prefix, 'bin'), sitePackages, facts: { platform: 'linux' } as PythonEnv['facts'] };
}, 600_000);
afterAll(() => rmSync(venvRoot, { recursive: true, force: true }));

function context(root: string, user: Record<string, string>): RecipeContext<InstanceOptions> {
  const b = { directory: root, 'bin-directory': join(root, 'bin'), 'parts-directory': join(root, 'parts') };
  const buildout: BuildoutView = { options: b, section: () => b, hasSection: () => true };
  const raw = { eggs: '', ...user, ...hooks.computeOptions!({ part: 'instance', options: { eggs: '', ...user }, buildout }) };
  return { part: 'instance', options: raw, raw, buildout, python: async () => env, created: () => {}, log: silentLogger, interactive: false, offline: true };
}

describe('zope2instance update', () => {
  it('regenerates the configuration but keeps inituser', async () => {
    const root = testdir();
    const paths = await recipe.install(context(root, { user: 'admin:admin', threads: '2' }));
    expect(paths).toEqual(expect.arrayContaining([join(root, 'parts/instance'), join(root, 'bin/instance')]));
    const inituser = join(root, 'parts/instance/inituser');
    writeFileSync(inituser, 'changed:{SHA}x\n');
    writeFileSync(join(root, 'parts/instance/etc/zope.conf'), 'edited by hand');
    await recipe.update!(context(root, { user: 'admin:other', threads: '3', zcml: 'zope.browserpage' }));
    expect(readFileSync(inituser, 'utf8')).toBe('changed:{SHA}x\n');
    expect(readFileSync(join(root, 'parts/instance/etc/zope.conf'), 'utf8')).toContain('%define INSTANCEHOME');
    expect(readFileSync(join(root, 'parts/instance/etc/wsgi.ini'), 'utf8')).toContain('threads = 3\n');
    expect(existsSync(join(root, 'parts/instance/etc/package-includes/002-zope.browserpage-configure.zcml'))).toBe(true);
    // the part's interpreter runs the environment's python
    const r = spawnSync(join(root, 'parts/instance/bin/interpreter'), ['-c', 'import sys; print(sys.argv)', 'x'], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe("['-c', 'x']");
  });

  it('removes the part when generating a file fails', async () => {
    const root = testdir();
    writeFileSync(join(root, 'bad.ini'), '[server:main]\nlisten = %(nope)s\n');
    await expect(recipe.install(context(root, { user: 'a:b', 'wsgi-ini-template': join(root, 'bad.ini') }))).rejects.toThrow(/unknown variable %\(nope\)s/);
    expect(existsSync(join(root, 'parts/instance'))).toBe(false);
  });
});
