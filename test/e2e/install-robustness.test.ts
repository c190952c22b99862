// The install lifecycle when things go wrong, through the real CLI: a failing recipe,
// SIGKILL and Ctrl-C in the middle of a part, two runs at once, and taking over a
// directory installed by zc.buildout.
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const STACK = /\.js:\d+:\d+|node:internal/;

// A user recipe that creates its directory, says it started, waits SLOW_MS, then finishes.
const SLOW_RECIPE = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default {
  name: 'slow',
  async install(ctx) {
    const dir = join(ctx.buildout.options.directory, ctx.raw.path);
    mkdirSync(dir, { recursive: true });
    ctx.created(dir);
    writeFileSync(join(dir, 'half'), 'x');
    writeFileSync(join(ctx.buildout.options.directory, 'started-' + ctx.part), String(process.pid));
    await new Promise((r) => setTimeout(r, Number(process.env.SLOW_MS ?? 0)));
    writeFileSync(join(dir, 'done'), 'x');
    return [dir];
  },
};
`;

const FAIL_RECIPE = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default {
  name: 'fail',
  async install(ctx) {
    const dir = join(ctx.buildout.options.directory, 'var', 'half-made');
    mkdirSync(dir, { recursive: true });
    ctx.created(dir);
    writeFileSync(join(dir, 'partial.txt'), 'x');
    throw new Error('cannot reach the database server');
  },
};
`;

const SLOW_CFG = [
  '[buildout]',
  'executable = /usr/bin/python3',
  'parts = first slow last',
  '',
  '[first]',
  'recipe = buildout-ts:mkdir',
  'paths = var/first',
  '',
  '[slow]',
  'recipe = ./recipes/slow.mjs',
  'path = var/slow',
  '',
  '[last]',
  'recipe = buildout-ts:mkdir',
  'paths = var/last',
  '',
].join('\n');

function slowBuildout() {
  return testdir({ 'buildout.cfg': SLOW_CFG, 'recipes/slow.mjs': SLOW_RECIPE });
}

/** Starts the CLI without waiting for it; killed when the test ends. */
function startCli(root: string, env: Record<string, string>): ChildProcess & { done: Promise<{ code: number | null; signal: string | null; stderr: string }> } {
  const child = spawn(process.execPath, [BUILDOUT_BIN], { cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, '.no-user-defaults'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stderr })));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return Object.assign(child, { done });
}

async function waitFor(file: string, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${file}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('install when things go wrong', () => {
  it('a failing recipe rolls back what it created and leaves a valid .installed.cfg', () => {
    const root = testdir({
      'buildout.cfg': ['[buildout]', 'executable = /usr/bin/python3', 'parts = ok db after', '', '[ok]', 'recipe = buildout-ts:mkdir', 'paths = var/ok', '', '[db]', 'recipe = ./recipes/fail.mjs', '', '[after]', 'recipe = buildout-ts:mkdir', 'paths = var/after', ''].join('\n'),
      'recipes/fail.mjs': FAIL_RECIPE,
    });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^ok: installed/m);
    expect(r.stderr).toContain('Error: db: cannot reach the database server');
    expect(r.stderr).toContain('While:\n  Installing db.');
    expect(r.stderr).not.toMatch(STACK);
    expect(existsSync(join(root, 'var/half-made'))).toBe(false);
    expect(existsSync(join(root, 'var/after'))).toBe(false);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^\[buildout\]\n__buildout_ts_env__ = \w+\ninstalled_develop_eggs = \nparts = ok\n\n\[ok\]\n__buildout_installed__ = var\/ok\n/);
    expect(existsSync(join(root, '.buildout/lock'))).toBe(false);

    // -D shows where the recipe failed
    expect(runCli(['-D'], { cwd: root }).stderr).toContain('fail.mjs:');

    // fixed configuration: `ok` is kept, the rest installed
    writeFileSync(join(root, 'buildout.cfg'), readFileSync(join(root, 'buildout.cfg'), 'utf8').replace('parts = ok db after', 'parts = ok after'));
    const again = runCli([], { cwd: root });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toMatch(/^ok: unchanged\nafter: Creating directory var\/after\nafter: installed/m);
  });

  it('a run killed with SIGKILL in the middle of a part is repaired by the next run', async () => {
    const root = slowBuildout();
    const child = startCli(root, { SLOW_MS: '60000' });
    await waitFor(join(root, 'started-slow'));
    child.kill('SIGKILL');
    await child.done;

    const recorded = readFileSync(join(root, '.installed.cfg'), 'utf8');
    expect(recorded).toMatch(/^parts = first$/m); // the part done before is recorded, the killed one is not
    expect(existsSync(join(root, '.buildout/lock'))).toBe(true); // left behind by the dead process
    expect(existsSync(join(root, 'var/slow/half'))).toBe(true);

    const r = runCli([], { cwd: root, env: { SLOW_MS: '0' } });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain(`Warning: Removed a stale lock of process ${child.pid}, which is not running any more`);
    expect(r.stderr).toMatch(/^first: unchanged\nslow: installed .*\n(last: Creating .*\n)?last: installed/m);
    expect(existsSync(join(root, 'var/slow/done'))).toBe(true);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = first slow last$/m);
    expect(runCli([], { cwd: root }).stderr).toBe('first: unchanged\nslow: unchanged\nlast: unchanged\n');
  });

  it('Ctrl-C stops after recording the finished parts, rolls back the current one and exits 130', async () => {
    const root = slowBuildout();
    const child = startCli(root, { SLOW_MS: '60000' });
    await waitFor(join(root, 'started-slow'));
    child.kill('SIGINT');
    const { code, stderr } = await child.done;
    expect(code).toBe(130);
    expect(stderr).toContain('Interrupted by SIGINT while installing slow.');
    expect(stderr).not.toMatch(STACK);
    expect(existsSync(join(root, 'var/slow'))).toBe(false);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = first$/m);
    expect(existsSync(join(root, '.buildout/lock'))).toBe(false);
    expect(runCli([], { cwd: root, env: { SLOW_MS: '0' } }).exitCode).toBe(0);
  });

  it('SIGTERM exits 143', async () => {
    const root = slowBuildout();
    const child = startCli(root, { SLOW_MS: '60000' });
    await waitFor(join(root, 'started-slow'));
    child.kill('SIGTERM');
    const { code, stderr } = await child.done;
    expect(code).toBe(143);
    expect(stderr).toContain('Interrupted by SIGTERM while installing slow.');
  });

  it('a second run waits for the first, saying so, and gives up with the pid after the timeout', async () => {
    const root = slowBuildout();
    const first = startCli(root, { SLOW_MS: '4000' });
    await waitFor(join(root, 'started-slow'));

    const impatient = runCli([], { cwd: root, env: { BUILDOUT_TS_LOCK_TIMEOUT: '0.5' } });
    expect(impatient.exitCode).toBe(1);
    expect(impatient.stderr).toContain(`Waiting for another buildout run (process ${first.pid}) to finish in ${root}...`);
    expect(impatient.stderr).toContain(`Error: Another buildout run (process ${first.pid}) is working in ${root}.`);
    expect(impatient.stderr).toContain('BUILDOUT_TS_LOCK_TIMEOUT');

    const patient = runCli([], { cwd: root, env: { BUILDOUT_TS_LOCK_TIMEOUT: '60', SLOW_MS: '0' } });
    expect(patient.exitCode).toBe(0);
    expect(patient.stderr).toContain(`Waiting for another buildout run (process ${first.pid})`);
    expect(patient.stderr).toMatch(/first: unchanged\nslow: unchanged\nlast: unchanged\n$/);
    expect((await first.done).code).toBe(0);
  });

  it('takes over a directory installed by zc.buildout', () => {
    const root = testdir({
      'buildout.cfg': ['[buildout]', 'executable = /usr/bin/python3', 'parts = data-dir', '', '[data-dir]', 'recipe = buildout-ts:mkdir', 'paths = mystuff', ''].join('\n'),
      'mystuff/old.txt': 'made by zc.buildout',
      'develop-eggs/recipes.egg-link': `${'/x'}/recipes\n.`,
    });
    // What zc.buildout's own documentation shows for this buildout (absolute paths, its signature).
    writeFileSync(
      join(root, '.installed.cfg'),
      `[buildout]\ninstalled_develop_eggs = ${root}/develop-eggs/recipes.egg-link\nparts = data-dir\n\n[data-dir]\n__buildout_installed__ = ${root}/mystuff\n__buildout_signature__ = recipes-c7vHV6ekIDUPy/7fjAaYjg==\npath = ${root}/mystuff\nrecipe = recipes:mkdir\n`,
    );
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toMatch(/data-dir: installed .*\(options changed: __buildout_signature__, location, path, paths, recipe\)/);
    expect(existsSync(join(root, 'mystuff/old.txt'))).toBe(false); // uninstalled, then made again
    expect(existsSync(join(root, 'mystuff'))).toBe(true);
    expect(existsSync(join(root, 'develop-eggs/recipes.egg-link'))).toBe(false);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^\[buildout\]\n__buildout_ts_env__ = \w+\ninstalled_develop_eggs = \nparts = data-dir\n\n\[data-dir\]\n__buildout_installed__ = mystuff\n/);
    expect(runCli([], { cwd: root }).stderr).toBe('data-dir: unchanged\n');
  });

  it('a corrupted .installed.cfg is a clear error naming the file and the way out', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nexecutable = /usr/bin/python3\nparts =\n', '.installed.cfg': '[buildout]\nparts = a\n<<<<<<< HEAD\n' });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`Error: File contains parsing errors: ${root}/.installed.cfg`);
    expect(r.stderr).toContain('remove it to reinstall every part');
    expect(r.stderr).not.toMatch(STACK);
  });

  it('ignores and removes a temp file left by an interrupted state write', () => {
    const root = testdir({ 'buildout.cfg': '[buildout]\nexecutable = /usr/bin/python3\nparts = d\n[d]\nrecipe = buildout-ts:mkdir\npaths = v\n', '.installed.cfg.tmp-99999': '[buildout]\nparts = d\n[d' });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(root, '.installed.cfg.tmp-99999'))).toBe(false);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toMatch(/^parts = d$/m);
  });
});
