// `buildout init` through the real CLI. Without --server it is zc.buildout 6's command
// (an empty buildout.cfg, or a `py` part holding the requirements, installed). With
// --server it writes a buildout that runs at once: each server is built from PyPI
// (examples/versions.cfg pins), started with bin/instance, asked over real HTTP on
// 127.0.0.1 (Zope's page, the management screen with the admin password it printed),
// and stopped; Plone with a ZEO server for one of them.
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, killFromPidFile, runScript } from '../fixtures/instance/harness.js';

const running: string[] = [];
afterEach(async () => {
  for (const pidFile of running.splice(0)) await killFromPidFile(pidFile);
});

describe('buildout init without --server: zc.buildout 6 init', () => {
  it('writes an empty buildout.cfg and the buildout directories; refuses to overwrite it', () => {
    const dir = testdir();
    const r = runCli(['init'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(`Creating '${join(dir, 'buildout.cfg')}'.\n`);
    expect(readFileSync(join(dir, 'buildout.cfg'), 'utf8')).toBe('[buildout]\nparts =\n');
    for (const d of ['bin', 'parts', 'develop-eggs']) expect(existsSync(join(dir, d)), d).toBe(true);
    expect(r.stderr).toContain(`Creating directory '${join(dir, 'bin')}'.`);

    const again = runCli(['init'], { cwd: dir });
    expect(again.exitCode).toBe(1);
    expect(again.stderr).toContain(`'${join(dir, 'buildout.cfg')}' already exists.`);
    expect(runCli([], { cwd: dir }).exitCode, 'the empty buildout runs').toBe(0);
  });

  it('with requirements: a py part with an interpreter holding them, installed; a word with a slash is an extra path', () => {
    const dir = testdir();
    const r = runCli(['-c', 'my.cfg', 'init', 'waitress==3.0.2', 'lib/extra'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(dir, 'my.cfg'), 'utf8')).toBe('[buildout]\nparts = py\n\n[py]\nrecipe = zc.recipe.egg\ninterpreter = py\neggs =\n  waitress==3.0.2\nextra-paths =\n  lib/extra\n');
    expect(statSync(join(dir, 'lib', 'extra')).isDirectory()).toBe(true);
    const py = spawnSync(join(dir, 'bin', 'py'), ['-c', 'import waitress, importlib.metadata as m; print(m.version("waitress"))'], { encoding: 'utf8' });
    expect(py.stdout.trim(), py.stderr).toBe('3.0.2');
  });
});

describe('buildout init --server', () => {
  it('writes buildout.cfg (readable by its owner only), versions.cfg and the template; a random password printed once; never overwrites without --force', () => {
    const dir = testdir();
    const r = runCli(['init', '--server', 'werkzeug', '--http-address', '127.0.0.1:18099'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const password = /password (\S+) \(in buildout\.cfg/.exec(r.stdout)?.[1];
    expect(password).toMatch(/^[A-Za-z0-9_-]{20}$/);
    const cfg = readFileSync(join(dir, 'buildout.cfg'), 'utf8');
    expect(cfg).toContain(`user = admin:${password}\n`);
    expect(statSync(join(dir, 'buildout.cfg')).mode & 0o777).toBe(0o600);
    expect(cfg).toContain('egg:Zope#content_length');
    expect(readFileSync(join(dir, 'versions.cfg'), 'utf8')).toMatch(/^\[versions\]\nAccessControl = /m);
    const ini = readFileSync(join(dir, 'templates', 'werkzeug.ini.in'), 'utf8');
    expect(ini).toContain('hostname = 127.0.0.1\nport = 18099\n');

    const other = testdir();
    const second = runCli(['init', '--server', 'werkzeug'], { cwd: other });
    expect(/password (\S+) /.exec(second.stdout)?.[1]).not.toBe(password);

    writeFileSync(join(dir, 'buildout.cfg'), '# mine\n');
    const refused = runCli(['init', '--server', 'waitress', '--plone'], { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('These files already exist:');
    expect(refused.stderr).toContain('--force');
    expect(readFileSync(join(dir, 'buildout.cfg'), 'utf8')).toBe('# mine\n');
    const forced = runCli(['init', '--server', 'waitress', '--plone', '--force'], { cwd: dir });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(readFileSync(join(dir, 'buildout.cfg'), 'utf8')).toContain('    Plone\n');
  });

  it('granian: the template a granian backend reads (egg:buildout-ts-wsgi#granian listening on the http-address)', () => {
    const dir = testdir();
    const r = runCli(['init', '--server', 'granian', '--http-address', '127.0.0.1:18098'], { cwd: dir });
    expect(r.exitCode, r.stderr).toBe(0);
    const ini = readFileSync(join(dir, 'templates', 'granian.ini.in'), 'utf8');
    expect(ini).toMatch(/^\[server:main\]\n(?:#.*\n)*use = egg:buildout-ts-wsgi#granian\nlisten = %\(http_address\)s\nworkers = 1\nthreads = %\(threads\)s\n/);
    const cfg = readFileSync(join(dir, 'buildout.cfg'), 'utf8');
    expect(cfg).toContain('    granian\n');
    expect(cfg).toContain('http-address = 127.0.0.1:18098\n');
  });

  it('rejects an unknown server, naming the choices', () => {
    const r = runCli(['init', '--server', 'nginx'], { cwd: testdir() });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Invalid value for --server: 'nginx'. Choose one of: waitress, bjoern, cheroot, werkzeug, gunicorn, granian.");
  });

  it.each(['waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian'])('%s: init, buildout, bin/instance start serves Zope, stop', async (server) => {
    const dir = testdir();
    const port = await freePort();
    const init = runCli(['init', '--server', server, '--http-address', `127.0.0.1:${port}`], { cwd: dir });
    expect(init.exitCode, init.stderr).toBe(0);
    const password = /password (\S+) /.exec(init.stdout)![1]!;
    const built = runCli([], { cwd: dir });
    expect(built.exitCode, built.stderr).toBe(0);
    expect(built.stderr).not.toMatch(/^Warning:/m);
    await serving(dir, port, async () => {
      const page = await http('GET', port, '/');
      expect(page.status).toBe(200);
      expect(page.body).toContain('Zope');
      expect((await get(port, '/manage_main', `admin:${password}`)).status).toBe(200);
      expect((await get(port, '/manage_main', 'admin:admin')).status).toBe(401);
    });
  });

  it('Plone with a ZEO server (waitress): init --plone --zeo, buildout, bin/zeo start, bin/instance start serves Plone', async () => {
    const dir = testdir();
    const [port, zeoPort] = [await freePort(), await freePort()];
    const init = runCli(['init', '--server', 'waitress', '--plone', '--zeo', '--http-address', `127.0.0.1:${port}`], { cwd: dir });
    expect(init.exitCode, init.stderr).toBe(0);
    const built = runCli([`zeo:zeo-address=127.0.0.1:${zeoPort}`], { cwd: dir });
    expect(built.exitCode, built.stderr).toBe(0);
    const zeo = runScript(join(dir, 'bin', 'zeo'), ['start'], { cwd: dir });
    running.push(join(dir, 'var', 'zeo.pid'));
    expect(zeo.code, zeo.output).toBe(0);
    try {
      await serving(dir, port, async () => {
        const page = await http('GET', port, '/');
        expect(page.status).toBe(200);
        // Plone's overview of a Zope without a site yet
        expect(page.body).toContain('Plone');
      });
    } finally {
      expect(runScript(join(dir, 'bin', 'zeo'), ['stop'], { cwd: dir }).code).toBe(0);
    }
  });
});

async function serving(dir: string, port: number, check: () => Promise<void>): Promise<void> {
  const script = join(dir, 'bin', 'instance');
  running.push(join(dir, 'var', 'instance.pid'));
  const start = runScript(script, ['start'], { cwd: dir, timeoutMs: 180_000 });
  expect(start.code, start.output).toBe(0);
  try {
    await check();
  } finally {
    const stop = runScript(script, ['stop'], { cwd: dir });
    expect(stop.code, stop.output).toBe(0);
  }
  await expect(http('GET', port, '/', undefined, 2000)).rejects.toThrow();
}

function get(port: number, path: string, auth: string): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, auth, agent: false, timeout: 20_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}
