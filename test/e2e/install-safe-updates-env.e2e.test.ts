// kill -9 while a changed part's distributions are being installed (real uv, a slow local
// index on 127.0.0.1): the environment is brought up to date before any part is set aside,
// so the part's previous files and .installed.cfg are untouched; the next run repairs the
// environment and finishes the part.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel } from '../fixtures/python/wheels.js';
import { startSlowIndex, type SlowIndex } from '../fixtures/python/slow-index.js';

const NAMES = ['buildout-ts-slow-alpha', 'buildout-ts-slow-beta'];
const DELAY_MS = 1500;
let index: SlowIndex;

// Writes bin/<part> naming its eggs; asks for them in the buildout's environment.
const APP = `
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default {
  name: 'app',
  requirements: (ctx) => ctx.raw.eggs.split(/\\s+/).filter(Boolean),
  async install(ctx) {
    const env = await ctx.python();
    const f = join(ctx.buildout.options['bin-directory'], ctx.part);
    writeFileSync(f, '#!/bin/sh\\n# ' + ctx.raw.eggs.split(/\\s+/).join(' ') + '\\nexec ' + env.python + ' "$@"\\n', { mode: 0o755 });
    return [f];
  },
};
`;

beforeAll(async () => {
  const wheels = join(testdir(), 'wheels');
  for (const n of NAMES) makeWheel(wheels, { name: n, version: '1.0', module: n.replace(/-/g, '_'), code: 'X = 1\n' + '# padding\n'.repeat(20000) });
  index = await startSlowIndex(wheels, DELAY_MS);
});

afterAll(() => index?.close());

// Async: the slow index lives in this process, so the CLI must not block its event loop.
function run(root: string): { child: ReturnType<typeof spawn>; done: Promise<{ code: number | null; stderr: string }> } {
  const child = spawn(process.execPath, [BUILDOUT_BIN], { cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, '.none') }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  return { child, done: new Promise((r) => child.on('close', (code) => r({ code, stderr }))) };
}

function config(root: string, eggs: string[]): string {
  return ['[buildout]', `index = ${index.url}`, `download-cache = ${join(root, 'cache')}`, 'parts = app', '', '[app]', 'recipe = ./recipes/app.mjs', `eggs = ${eggs.join(' ')}`, ''].join('\n');
}

describe('SIGKILL while the environment gets a changed part\'s distributions', () => {
  it('leaves the part and .installed.cfg as they were; the next run completes both', async () => {
    const root = testdir({ 'recipes/app.mjs': APP });
    writeFileSync(join(root, 'buildout.cfg'), config(root, [NAMES[0]!]));
    const first = await run(root).done;
    expect(first.code, first.stderr).toBe(0);
    const script = readFileSync(join(root, 'bin/app'), 'utf8');
    const installed = readFileSync(join(root, '.installed.cfg'), 'utf8');

    writeFileSync(join(root, 'buildout.cfg'), config(root, NAMES));
    const requests = index.fileRequests();
    const { child, done } = run(root);
    const end = Date.now() + 60_000;
    // the installer is downloading the new distribution: its parent dies now
    while (index.fileRequests() === requests && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
    expect(index.fileRequests()).toBeGreaterThan(requests);
    child.kill('SIGKILL');
    await done;

    expect(readFileSync(join(root, 'bin/app'), 'utf8')).toBe(script);
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(installed);
    expect(existsSync(join(root, '.buildout/journal.json'))).toBe(false); // nothing was set aside yet

    const next = await run(root).done;
    expect(next.stderr).not.toMatch(/ENOTEMPTY|internal error|\n\s+at /i);
    expect(next.code, next.stderr).toBe(0);
    expect(readFileSync(join(root, 'bin/app'), 'utf8')).toContain(`# ${NAMES.join(' ')}\n`);
    expect((await run(root).done).stderr).toBe('app: unchanged\n');
  });
});
