// The install lifecycle with the real Python environment (a venv from Debian's
// /usr/bin/python3, offline, its packages through include-site-packages): prepared once
// and only when a part needs it; a no-op run starts no process; a changed `develop`
// reaches the environment even when no part changed. Slow: creates virtual environments.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const PY = '/usr/bin/python3';
const hasWaitress = spawnSync(PY, ['-c', 'import waitress'], { stdio: 'ignore' }).status === 0;
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

const HEAD = ['[buildout]', `executable = ${PY}`, 'include-site-packages = true', 'offline = true'];

function traced(root: string) {
  const trace = join(root, 'trace.txt');
  rmSync(trace, { force: true });
  const r = runCli([], { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
  return { ...r, spawned: readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:')) };
}

describe.skipIf(!hasWaitress)('install with the Python environment (needs Debian python3-waitress)', () => {
  it('prepares the environment once for the parts that need it; a no-op run starts no process', () => {
    const root = testdir({
      'buildout.cfg': [...HEAD, 'parts = dirs app', '', '[dirs]', 'recipe = buildout-ts:mkdir', 'paths = var', '', '[app]', 'recipe = ./recipes/py.mjs', 'eggs = waitress', ''].join('\n'),
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
    const standin = join(PROJECT_ROOT, 'demo/zope-standin');
    const cfg = (develop: string) => [...HEAD, `develop = ${develop}`, 'parts = dirs', '', '[dirs]', 'recipe = buildout-ts:mkdir', 'paths = var', ''].join('\n');
    const root = testdir({ 'buildout.cfg': cfg('') });
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(existsSync(join(root, '.buildout/venv'))).toBe(false);

    writeFileSync(join(root, 'buildout.cfg'), cfg(standin));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/^dirs: unchanged$/m);
    const py = join(root, '.buildout/venv/bin/python');
    expect(spawnSync(py, ['-c', 'import buildoutts_zope_standin'], { stdio: 'ignore' }).status).toBe(0);

    expect(traced(root).spawned).toEqual([]); // recorded: the next run is a no-op again

    // develop path removed: the environment uninstalls it
    writeFileSync(join(root, 'buildout.cfg'), cfg(''));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(spawnSync(py, ['-c', 'import buildoutts_zope_standin'], { stdio: 'ignore' }).status).not.toBe(0);
  });

  it('a changed [versions] pin reaches the environment even when every part is unchanged', () => {
    const version = spawnSync(PY, ['-c', 'import importlib.metadata as m; print(m.version("waitress"))'], { encoding: 'utf8' }).stdout.trim();
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
