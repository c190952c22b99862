// The operator's story with a real Zope (from PyPI, pinned by examples/versions.cfg) served
// by waitress: while `bin/instance start` runs the site, broken changes (a wsgi-ini-template
// with a duplicate key, a part that fails while installing) and a buildout run killed with
// SIGKILL in the middle of replacing the instance leave bin/instance, the instance's files
// and .installed.cfg as they were: `bin/instance status` and `stop` keep working.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, BUILDOUT_BIN, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, isAlive, killFromPidFile, readPid, runScript } from '../fixtures/instance/harness.js';

const STACK = /\.js:\d+:\d+|node:internal/;
let root = '';
let port = 0;

function config(o: { user?: boolean; threads?: string; template?: string } = {}): string {
  return [
    '[buildout]',
    `extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}`,
    'parts = instance',
    '',
    '[instance]',
    'recipe = plone.recipe.zope2instance',
    ...(o.user === false ? [] : ['user = admin:admin']),
    `http-address = 127.0.0.1:${port}`,
    `threads = ${o.threads ?? '2'}`,
    // plain Zope has no tempstorage
    'zodb-temporary-storage = off',
    'eggs =',
    '    Zope',
    '    waitress',
    '    Paste',
    `wsgi-ini-template = ${'${buildout:directory}'}/${o.template ?? 'wsgi.ini.in'}`,
    '',
  ].join('\n');
}

/** Every file of the instance (content and mode) and its control script: what "kept" means. */
function instanceFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const n of readdirSync(dir)) {
      const p = join(dir, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else out[p.slice(root.length + 1)] = `${(st.mode & 0o777).toString(8)} ${readFileSync(p, 'utf8')}`;
    }
  };
  walk(join(root, 'parts', 'instance'));
  out['bin/instance'] = readFileSync(join(root, 'bin', 'instance'), 'utf8');
  return out;
}

beforeAll(async () => {
  root = testdir({}, { keep: true });
  port = await freePort();
  copyFileSync(join(PROJECT_ROOT, 'templates', 'waitress.ini.in'), join(root, 'wsgi.ini.in'));
  writeFileSync(join(root, 'buildout.cfg'), config());
  const r = runCli([], { cwd: root });
  expect(r.stderr).not.toMatch(STACK);
  expect(r.exitCode, r.stderr).toBe(0);
}, 600_000);

afterAll(async () => {
  await killFromPidFile(join(root, 'var', 'instance.pid'));
  const { rmSync } = await import('node:fs');
  rmSync(root, { recursive: true, force: true });
});

describe('a running Zope site survives broken buildout runs', () => {
  let pid = 0;
  let installed = '';
  let files: Record<string, string> = {};

  const expectSiteAsBefore = async () => {
    expect(readFileSync(join(root, '.installed.cfg'), 'utf8')).toBe(installed);
    expect(instanceFiles()).toEqual(files);
    const status = runScript(join(root, 'bin', 'instance'), ['status'], { cwd: root });
    expect(status.stdout.split('\n')[0]).toBe(`program running; pid=${pid}`);
    expect(status.code).toBe(0);
    expect((await http('GET', port, '/')).status).toBe(200);
    expect(existsSync(join(root, '.buildout', 'journal.json'))).toBe(false);
  };

  it('bin/instance start serves Zope', async () => {
    const start = runScript(join(root, 'bin', 'instance'), ['start'], { cwd: root, timeoutMs: 120_000 });
    expect(start.code, start.output).toBe(0);
    pid = readPid(join(root, 'var', 'instance.pid'))!;
    expect(isAlive(pid)).toBe(true);
    installed = readFileSync(join(root, '.installed.cfg'), 'utf8');
    files = instanceFiles();
    await expectSiteAsBefore();
  });

  it('a wsgi-ini-template with a duplicate key: caught before anything is touched', async () => {
    const template = readFileSync(join(root, 'wsgi.ini.in'), 'utf8');
    writeFileSync(join(root, 'broken.ini.in'), template.replace('threads = %(threads)s\n', 'threads = %(threads)s\nthreads = 8\n'));
    writeFileSync(join(root, 'buildout.cfg'), config({ template: 'broken.ini.in' }));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain('option "threads" in section [server:main] already exists (duplicate key)');
    expect(r.stderr).toContain('The previous installation of part instance was kept: nothing was changed.');
    await expectSiteAsBefore();
  });

  it('a part that fails while it installs: the previous installation comes back', async () => {
    // without `user` and without a terminal the recipe refuses, after the old part was set aside
    writeFileSync(join(root, 'buildout.cfg'), config({ user: false, threads: '3' }));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain('no initial Zope user');
    expect(r.stderr).toContain('The previous installation of part instance was kept: its files are back in place and .installed.cfg still records it.');
    await expectSiteAsBefore();
  });

  it('SIGKILL while the instance is being replaced: the next run puts it back', async () => {
    writeFileSync(join(root, 'buildout.cfg'), config({ threads: '3' }));
    const child = spawn(process.execPath, [BUILDOUT_BIN], { cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, '.none'), BUILDOUT_TS_TEST_PAUSE: 'installed:instance' }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    const end = Date.now() + 120_000;
    while (!stderr.includes('paused at installed:instance') && child.exitCode === null && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(stderr).toContain('paused at installed:instance');
    child.kill('SIGKILL');
    await new Promise((r) => child.on('close', r));
    // the new instance was written, not recorded: the journal knows where the old one is
    expect(existsSync(join(root, '.buildout', 'journal.json'))).toBe(true);

    writeFileSync(join(root, 'buildout.cfg'), config());
    const plan = runCli(['plan'], { cwd: root });
    expect(plan.stdout).toContain('An interrupted run left the previous installation of instance set aside');
    const r = runCli([], { cwd: root });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toContain('Warning: Restored the previous installation of part instance, set aside by an interrupted run');
    expect(r.stderr).toMatch(/instance: unchanged\n$/);
    await expectSiteAsBefore();
  });

  it('bin/instance stop still stops the server', () => {
    const stop = runScript(join(root, 'bin', 'instance'), ['stop'], { cwd: root });
    expect(stop.code, stop.output).toBe(0);
    expect(isAlive(pid)).toBe(false);
  });
});
