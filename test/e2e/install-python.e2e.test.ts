// The install lifecycle with the real Python environment (a venv from the python3 on
// PATH, waitress from PyPI through uv and the shared download cache): prepared once
// and only when a part needs it; a no-op run starts no process; a changed `develop`
// reaches the environment even when no part changed. Slow: creates virtual environments.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const WAITRESS = '3.0.2';
const TRACE = join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs');

// Asks for its `eggs` and writes a bin/<part> that runs the environment's Python.
const PY_RECIPE = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default {
  name: 'py',
  requirements: (ctx) => ctx.raw.eggs.split(/\\s+/).filter(Boolean),
  async install(ctx) {
    const env = await ctx.python();
    const again = await ctx.python();
    if (again !== env) throw new Error('python() must give the same environment');
    const f = join(ctx.buildout.options['bin-directory'], ctx.part);
    writeFileSync(f, '#!/bin/sh\\nexec ' + env.python + ' "$@"\\n', { mode: 0o755 });
    return [f];
  },
};
`;

const HEAD = ['[buildout]'];
const VERSIONS = ['[versions]', `waitress = ${WAITRESS}`, ''];

function traced(root: string) {
  const trace = join(root, 'trace.txt');
  rmSync(trace, { force: true });
  const r = runCli([], { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
  return { ...r, spawned: readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:')) };
}

describe('install with the Python environment (PyPI through uv)', () => {
  it('prepares the environment once for the parts that need it; a no-op run starts no process', () => {
    const root = testdir({
      'buildout.cfg': [...HEAD, 'parts = dirs app', '', '[dirs]', 'recipe = buildout-ts:mkdir', 'paths = var', '', '[app]', 'recipe = ./recipes/py.mjs', 'eggs = waitress', '', ...VERSIONS].join('\n'),
      'recipes/py.mjs': PY_RECIPE,
    });
    const r = runCli([], { cwd: root });
    expect(r.stderr).toContain('app: installed');
    expect(r.exitCode).toBe(0);
    const check = spawnSync(join(root, 'bin/app'), ['-c', 'import sys, waitress; print(sys.prefix)'], { encoding: 'utf8' });
    expect(check.stdout.trim()).toBe(join(root, '.buildout/venv'));

    const noop = traced(root);
    expect(noop.exitCode).toBe(0);
    expect(noop.stderr).toBe('dirs: unchanged\napp: unchanged\n');
    expect(noop.spawned).toEqual([]);
  });

  it('a buildout whose parts need no Python never creates an environment', () => {
    const root = testdir({ 'buildout.cfg': [...HEAD, 'parts = dirs', '', '[dirs]', 'recipe = buildout-ts:mkdir', 'paths = var', ''].join('\n') });
    const r = traced(root);
    expect(r.exitCode).toBe(0);
    expect(r.spawned).toEqual([]);
    expect(existsSync(join(root, '.buildout/venv'))).toBe(false);
  });

  it('a changed develop option reaches the environment even when every part is unchanged', () => {
    const cfg = (develop: string) => [...HEAD, `develop = ${develop}`, 'parts = dirs', '', '[dirs]', 'recipe = buildout-ts:mkdir', 'paths = var', ''].join('\n');
    const root = testdir({ 'buildout.cfg': cfg(''), 'src/site/pyproject.toml': '[project]\nname = "demo.site"\nversion = "1.0"\n[build-system]\nrequires = ["setuptools>=61"]\nbuild-backend = "setuptools.build_meta"\n[tool.setuptools]\npackages = ["demo_site"]\n', 'src/site/demo_site/__init__.py': '' });
    const standin = join(root, 'src/site');
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(existsSync(join(root, '.buildout/venv'))).toBe(false);

    writeFileSync(join(root, 'buildout.cfg'), cfg(standin));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^dirs: unchanged$/m);
    const py = join(root, '.buildout/venv/bin/python');
    expect(spawnSync(py, ['-c', 'import demo_site'], { stdio: 'ignore' }).status).toBe(0);

    expect(traced(root).spawned).toEqual([]); // recorded: the next run is a no-op again

    // develop path removed: the environment uninstalls it
    writeFileSync(join(root, 'buildout.cfg'), cfg(''));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(spawnSync(py, ['-c', 'import demo_site'], { stdio: 'ignore' }).status).not.toBe(0);
  });

  it('a changed [versions] pin reaches the environment even when every part is unchanged', () => {
    const version = WAITRESS;
    const cfg = (versions: string) => [...HEAD, 'parts = app', '', '[app]', 'recipe = ./recipes/py.mjs', 'eggs = waitress', '', '[versions]', versions, ''].join('\n');
    const root = testdir({ 'buildout.cfg': cfg(''), 'recipes/py.mjs': PY_RECIPE });
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    writeFileSync(join(root, 'buildout.cfg'), cfg(`waitress = ${version}`));
    const pinned = traced(root);
    expect(pinned.exitCode).toBe(0);
    expect(pinned.stderr).toMatch(/^app: unchanged$/m);
    expect(pinned.spawned.length).toBeGreaterThan(0); // the environment was brought up to date
    expect(traced(root).spawned).toEqual([]);

    // -N / -o alone are not a change
    expect(traced(root).spawned).toEqual([]);
    const flags = runCli(['-N', '-o'], { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: join(root, 'flags.txt') } });
    expect(flags.stderr).toBe('app: unchanged\n');
    expect(readFileSync(join(root, 'flags.txt'), 'utf8')).not.toContain('spawn:');
  });
});
