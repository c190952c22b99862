// kill -9 while the Python environment is built (issue 10): the next run repairs the
// state. The distributions come from a slow package index of our own on 127.0.0.1
// (PEP 503 pages, each wheel held back for a while), so that the installer child is
// surely still downloading and then writing into `zope/` when its parent dies.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel } from '../fixtures/python/wheels.js';
import { startSlowIndex, type SlowIndex } from '../fixtures/python/slow-index.js';

const NAMES = ['ztest.alpha', 'ztest.beta', 'ztest.gamma', 'ztest.delta', 'ztest.eps', 'ztest.zeta'];
const DELAY_MS = 700;

let index: SlowIndex;

beforeAll(async () => {
  const wheels = join(testdir(), 'wheels');
  for (const n of NAMES) {
    // namespace packages under zope/ (no zope/__init__.py), as Zope's distributions are
    const mod = `zope/${n.split('.')[1]}`;
    makeWheel(wheels, { name: n, version: '1.0', module: mod, code: `NAME = ${JSON.stringify(n)}\n` + '# padding\n'.repeat(20000) });
  }
  index = await startSlowIndex(wheels, DELAY_MS);
});

afterAll(() => index?.close());

function config(): string {
  return ['[buildout]', `index = ${index.url}`, 'parts = app', '', '[app]', 'recipe = zc.recipe.egg', 'eggs =', ...NAMES.map((n) => `    ${n}`), ''].join('\n');
}

// Each test dir gets a download cache of its own, so that every run really downloads.
function project(): string {
  const root = testdir({ 'buildout.cfg': config() });
  writeFileSync(join(root, 'buildout.cfg'), config().replace('[buildout]', `[buildout]\ndownload-cache = ${join(root, 'cache')}`));
  return root;
}

function start(root: string): { child: ChildProcess; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BUILDOUT_BIN], { cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, '.none'), UV_CONCURRENT_DOWNLOADS: '2' }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; stderr: string }>((r) => child.on('close', (code) => r({ code, stderr })));
  return { child, done };
}

async function waitFor(cond: () => boolean, ms = 20_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 10));
  }
}

function importsAll(root: string): boolean {
  const code = NAMES.map((n) => `import ${n.replace('ztest.', 'zope.')}`).join('; ');
  return spawnSync(join(root, '.buildout/venv/bin/python'), ['-c', code]).status === 0;
}

describe('kill -9 while the environment is built (real uv, a slow local index)', () => {
  it('the killed run’s installer is stopped before the next run touches the environment, which is then complete', async () => {
    const root = project();
    const before = index.fileRequests();
    const run = start(root);
    await waitFor(() => index.fileRequests() > before); // uv is downloading: its parent dies now
    const pid = Number(JSON.parse(readFileSync(join(root, '.buildout/installer/installer.pid'), 'utf8')).pid);
    run.child.kill('SIGKILL');
    await run.done;
    expect(() => process.kill(pid, 0)).not.toThrow(); // the orphan is still at work

    const next = await start(root).done;
    expect(next.stderr).toContain(`An installer process (pid ${pid}) of an interrupted run is still running; stopping it before changing the environment.`);
    expect(next.stderr).not.toMatch(/ENOTEMPTY|Internal error|\n\s+at /);
    expect(next.code).toBe(0);
    expect(importsAll(root)).toBe(true);
    expect(existsSync(join(root, '.buildout/installer/installer.pid'))).toBe(false);
  });

  it('killed at different moments, again and again in the same directory: every next run repairs it', async () => {
    const root = project();
    for (const delay of [50, 250, 600, 1200, 2000, 3000]) {
      const run = start(root);
      await new Promise((r) => setTimeout(r, delay));
      run.child.kill('SIGKILL');
      await run.done;
    }
    const last = await start(root).done;
    expect(last.stderr).not.toMatch(/ENOTEMPTY|Internal error|\n\s+at /);
    expect(last.code).toBe(0);
    expect(importsAll(root)).toBe(true);
  });
});
