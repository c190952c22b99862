// zc.recipe.egg called directly with a real environment (a venv from the python3 on PATH,
// an editable local project with console scripts, built with setuptools from PyPI through
// the shared download cache). Slow: one shared environment.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import scriptsRecipe from './scripts.js';
import eggsRecipe from './eggs.js';
import hooks from './hooks.js';
import { ensurePythonEnv } from '../../python/environment.js';
import { silentLogger } from '../../log.js';
import { isBuildoutError } from '../../errors.js';
import type { PythonEnv } from '../../python/types.js';
import { writePackage } from '../../../test/fixtures/python/wheels.js';
import { buildoutView, recipeContext } from '../../../test/fixtures/python/context.js';

describe('zc.recipe.egg with a real environment', () => {
  let root: string;
  let env: PythonEnv;
  let buildout: Record<string, string>;
  const python = () => Promise.resolve(env);

  beforeAll(async () => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-egg-')));
    writePackage(join(root, 'src/tool'), { name: 'demo.tool', version: '0.1', module: 'demo_tool', scripts: { 'demo-tool': 'demo_tool:main', 'demo-other': 'demo_tool:other' }, code: 'import sys\ndef main(*a):\n    print("tool", list(a), sys.argv[1:])\ndef other():\n    print("other")\n' });
    buildout = { directory: root, 'bin-directory': join(root, 'bin') };
    env = await ensurePythonEnv({ buildout, versions: {}, requirements: ['demo.tool'], develop: [join(root, 'src/tool')], log: silentLogger });
  });
  afterAll(() => {
    if (root && !process.env.KEEP_TESTDIR) rmSync(root, { recursive: true, force: true });
  });

  it('requirements are the eggs lines (comments dropped), or the part name', () => {
    const ctx = recipeContext(scriptsRecipe, 'tools', { buildout, tools: { eggs: 'demo.tool\n# later\nwaitress  # server' } });
    expect(scriptsRecipe.requirements!(ctx)).toEqual(['demo.tool', 'waitress']);
    const bare = recipeContext(eggsRecipe, 'demo.tool', { buildout, 'demo.tool': {} });
    expect(eggsRecipe.requirements!(bare)).toEqual(['demo.tool']);
  });

  it(':scripts writes the eggs’ console scripts with renames, arguments and an interpreter', async () => {
    const ctx = recipeContext(scriptsRecipe, 'tools', { buildout, tools: { eggs: 'demo.tool', scripts: 'demo-tool=tool', arguments: "'fixed'", interpreter: 'tpy' } }, python);
    const paths = await scriptsRecipe.install(ctx);
    expect(paths).toEqual([join(root, 'bin/tool'), join(root, 'bin/tpy')]);
    expect(ctx.createdPaths).toEqual(paths);
    expect(execFileSync(join(root, 'bin/tool'), ['x'], { encoding: 'utf8' })).toBe("tool ['fixed'] ['x']\n");
    expect(execFileSync(join(root, 'bin/tpy'), ['-c', 'import demo_tool; demo_tool.other()'], { encoding: 'utf8' })).toBe('other\n');
  });

  it('default eggs = the part name; `scripts =` (empty) writes none', async () => {
    const all = await scriptsRecipe.install(recipeContext(scriptsRecipe, 'demo.tool', { buildout, 'demo.tool': {} }, python));
    expect(all.sort()).toEqual([join(root, 'bin/demo-other'), join(root, 'bin/demo-tool')]);
    expect(await scriptsRecipe.install(recipeContext(scriptsRecipe, 'none', { buildout, none: { eggs: 'demo.tool', scripts: '' } }, python))).toEqual([]);
  });

  it(':eggs installs nothing in bin and fails clearly for an egg missing from the environment', async () => {
    expect(await eggsRecipe.install(recipeContext(eggsRecipe, 'e', { buildout, e: { eggs: 'demo.tool' } }, python))).toEqual([]);
    await expect(eggsRecipe.install(recipeContext(eggsRecipe, 'e', { buildout, e: { eggs: 'demo.tool\nnot-there' } }, python))).rejects.toSatisfy((e) => isBuildoutError(e) && e.message.includes('not-there'));
  });

  it('hooks compute the options the Python recipe adds', () => {
    const view = buildoutView({ buildout: { ...buildout, 'eggs-directory': '/b/eggs', 'develop-eggs-directory': '/b/develop-eggs' } });
    expect(hooks.computeOptions!({ part: 'p', options: { recipe: 'zc.recipe.egg' }, buildout: view })).toEqual({ 'eggs-directory': '/b/eggs', _e: '/b/eggs', 'develop-eggs-directory': '/b/develop-eggs', _d: '/b/develop-eggs', 'bin-directory': join(root, 'bin'), _b: join(root, 'bin') });
    expect(hooks.computeOptions!({ part: 'p', options: { recipe: 'zc.recipe.egg:eggs' }, buildout: view })).not.toHaveProperty('_b');
  });
});
