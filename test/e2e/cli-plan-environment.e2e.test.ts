// `buildout plan` and the Python environment (real uv, a real venv, wheels made on the
// spot in find-links): which inputs changed (a pin, a requirement) and which distributions
// a run would add or upgrade, from a dry-run resolution in a temporary folder; the
// environment and the installer's files stay as they are. No change, no process.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel } from '../fixtures/python/wheels.js';

const TRACE = join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs');

function config(eggs: string[], pins: Record<string, string>): string {
  return ['[buildout]', 'find-links = ${buildout:directory}/wheels', 'parts = app', '', '[app]', 'recipe = zc.recipe.egg', 'eggs =', ...eggs.map((e) => `    ${e}`), '', '[versions]', ...Object.entries(pins).map(([k, v]) => `${k} = ${v}`), ''].join('\n');
}

/** Files of the environment and the installer's folder, with their mtimes. */
function envSnapshot(root: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const dir of ['.buildout/installer', '.buildout/venv', '.buildout/venv/lib/python3.11/site-packages']) {
    for (const n of readdirSync(join(root, dir))) out[`${dir}/${n}`] = statSync(join(root, dir, n)).mtimeMs;
  }
  return out;
}

function spawnedBy(root: string, args: string[]): { stdout: string; spawned: string[] } {
  const trace = join(root, 'trace.txt');
  rmSync(trace, { force: true });
  const r = runCli(args, { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
  expect(r.exitCode, r.stderr).toBe(0);
  let lines: string[] = [];
  try {
    lines = readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:'));
  } catch {
    // nothing was traced
  }
  return { stdout: r.stdout, spawned: lines };
}

describe('buildout plan: the Python environment', () => {
  it('lists the pins and requirements that changed and the distributions that would be added or upgraded, changing nothing', () => {
    const root = testdir({});
    const wheels = join(root, 'wheels');
    makeWheel(wheels, { name: 'buildout-ts-plan-alpha', version: '1.0', module: 'bts_plan_alpha', code: 'V = 1\n' });
    makeWheel(wheels, { name: 'buildout-ts-plan-alpha', version: '2.0', module: 'bts_plan_alpha', code: 'V = 2\n' });
    makeWheel(wheels, { name: 'buildout-ts-plan-beta', version: '1.5', module: 'bts_plan_beta', code: 'V = 1\n' });
    writeFileSync(join(root, 'buildout.cfg'), config(['buildout-ts-plan-alpha'], { 'buildout-ts-plan-alpha': '1.0' }));
    const first = runCli([], { cwd: root });
    expect(first.exitCode, first.stderr).toBe(0);

    const noop = spawnedBy(root, ['plan']);
    expect(noop.stdout).toBe('unchanged: app\nNothing to do.\n');
    expect(noop.spawned).toEqual([]);

    writeFileSync(join(root, 'buildout.cfg'), config(['buildout-ts-plan-alpha', 'buildout-ts-plan-beta'], { 'buildout-ts-plan-alpha': '2.0', 'buildout-ts-plan-beta': '1.5' }));
    const before = envSnapshot(root);
    const r = spawnedBy(root, ['plan']);
    expect(r.stdout).toContain("app: reinstall (zc.recipe.egg)\n    eggs: 'buildout-ts-plan-alpha' -> \"buildout-ts-plan-alpha\\nbuildout-ts-plan-beta\"\n");
    expect(r.stdout).toContain('Python environment: would change\n');
    expect(r.stdout).toContain('    requirement added: buildout-ts-plan-beta\n');
    expect(r.stdout).toContain('    [versions] buildout-ts-plan-alpha: buildout-ts-plan-alpha==1.0 -> buildout-ts-plan-alpha==2.0\n');
    expect(r.stdout).toContain('    [versions] buildout-ts-plan-beta: (none) -> buildout-ts-plan-beta==1.5\n');
    expect(r.stdout).toMatch(/\n {4}\+ buildout-ts-plan-beta 1\.5\n/);
    expect(r.stdout).toMatch(/\n {4}\^ buildout-ts-plan-alpha 1\.0 -> 2\.0\n/);
    expect(r.stdout).toContain('; the Python environment changes.\n');
    // the installer resolved (in a temporary folder); nothing of the buildout changed
    expect(r.spawned.length).toBeGreaterThan(0);
    expect(envSnapshot(root)).toEqual(before);

    const json = JSON.parse(runCli(['plan', '--json'], { cwd: root }).stdout);
    expect(json.environment.distributions).toEqual({
      added: [{ name: 'buildout-ts-plan-beta', version: '1.5' }],
      upgraded: [{ name: 'buildout-ts-plan-alpha', from: '1.0', to: '2.0' }],
      downgraded: [],
      removed: [],
    });

    // what the install then does
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    const sitePackages = readdirSync(join(root, '.buildout/venv/lib/python3.11/site-packages'));
    expect(sitePackages).toEqual(expect.arrayContaining(['buildout_ts_plan_alpha-2.0.dist-info', 'buildout_ts_plan_beta-1.5.dist-info']));
  });
});
