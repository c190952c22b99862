// `bin/instance fg` with every WSGI server (from PyPI), serving the tiny demo app: real servers,
// real HTTP. The same with a real Zope, ZEO and Plone: instance-zope-zeo and instance-plone.
import { readFileSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PythonEnv } from '../../src/python/types.js';
import { testdir } from '../helpers/testdir.js';
import { DEMO_APP_DIR, SERVER_MAIN, freePort, http, isAlive, makeVenv, readPid, startProcess, waitForHttp, writeInstance, type Backend } from '../fixtures/instance/harness.js';
import { testEnv } from '../fixtures/instance/envs.js';

let env: PythonEnv;
beforeAll(async () => {
  env = await makeVenv();
}, 600_000);

// backend, the log line that says a shim was replaced (none: the dataflake shims are not in
// this environment, the servers are)
const CASES: [Backend, RegExp | undefined][] = [
  ['ours', undefined],
  ['recipe', /plone\.recipe\.zope2instance is not installed: serving .* built-in waitress runner/],
  ['waitress', undefined],
  ['cheroot', /dataflake\.wsgi\.cheroot is not installed: serving .* built-in cheroot runner/],
  ['werkzeug', /dataflake\.wsgi\.werkzeug is not installed: serving .* built-in werkzeug runner/],
  ['gunicorn', undefined],
  ['bjoern', /dataflake\.wsgi\.bjoern is not installed: serving .* built-in bjoern runner/],
];

describe.each(CASES)('bin/instance fg with %s', (backend, fallbackLine) => {
  it('serves GET, POST and a 10 KB page; the fg process is the Python server itself; SIGTERM ends it with 0 and removes the pid file', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN[backend](port), { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);

      const page = await http('GET', port, '/');
      expect(page.status).toBe(200);
      const info = JSON.parse((await http('GET', port, '/info')).body);
      // fg forces debug mode on (the launcher's `-d debug-mode=on`)
      expect(info.debug_mode).toBe(true);
      const post = await http('POST', port, '/anything', 'x'.repeat(12345));
      expect(post.body).toBe('received 12345 bytes\n');
      const big = await http('GET', port, '/big');
      expect(big.status).toBe(200);
      expect(big.body.length).toBeGreaterThan(10_000);

      // no intermediary: the pid we spawned runs python with our launcher (exec'd, not a child)
      const exe = realpathSync(readlinkSync(`/proc/${proc.pid}/exe`));
      expect(exe).toBe(realpathSync(env.baseExecutable));
      const cmdline = readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0');
      expect(cmdline).toContain('buildout_ts_wsgi.serve');
      expect(cmdline).toContain(inst.wsgiIni);
      expect(readPid(inst.pidFile)).toBe(proc.pid);
      // gunicorn serves from its worker (a child); every other server in the fg process itself
      if (backend !== 'gunicorn') expect(info.pid).toBe(proc.pid);
      else expect(info.pid).not.toBe(proc.pid);

      proc.child.kill('SIGTERM');
      const exit = await proc.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      expect(readPid(inst.pidFile)).toBeUndefined();
      expect(proc.output()).toContain(`Starting server in PID ${proc.pid}.`);
      expect(proc.output()).toMatch(/Exiting/);
      if (fallbackLine) {
        expect(proc.output()).toMatch(fallbackLine);
        expect(proc.output().match(fallbackLine)?.length).toBe(1);
        expect(readFileSync(inst.eventLog, 'utf8')).toMatch(fallbackLine);
      }
    } finally {
      if (proc.exit === undefined) proc.child.kill('SIGKILL');
    }
  });
});

describe('signals and errors (waitress via egg:buildout-ts-wsgi#main)', () => {
  it('SIGINT ends fg cleanly with exit code 0 and removes the pid file', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    await waitForHttp(port, proc);
    proc.child.kill('SIGINT');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(readPid(inst.pidFile)).toBeUndefined();
    expect(proc.output()).toMatch(/Exiting/);
  });

  it('SIGTERM while the application is still loading also exits 0, without a traceback', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port, appExtra: 'startup_delay = 20\n' });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    for (let i = 0; i < 300 && !proc.output().includes('fast-listen: bound'); i++) await new Promise((r) => setTimeout(r, 20));
    expect(proc.output()).toContain('fast-listen: bound');
    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(proc.output()).toMatch(/Exiting/);
    expect(proc.output()).not.toMatch(/Traceback|Starting server/);
    expect(readPid(inst.pidFile)).toBeUndefined();
  });

  it('gunicorn: more than one worker is refused with a warning and one worker serves', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.gunicorn(port) + 'workers = 3\n', { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect(proc.output()).toMatch(/gunicorn `workers = 3` ignored: buildout-ts runs one worker per instance/);
      const workers = proc.output().match(/Booting worker with pid/g) ?? [];
      expect(workers.length).toBe(1);
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('a port that is already taken gives a one-line error naming host:port and exit code 4', async () => {
    const root = testdir();
    const port = await freePort();
    const first = writeInstance(root, env, SERVER_MAIN.ours(port), { port });
    const holder = startProcess(first.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, holder);
      for (const backend of ['ours', 'waitress', 'cheroot', 'werkzeug', 'gunicorn'] as const) {
        const other = testdir();
        const inst = writeInstance(other, env, SERVER_MAIN[backend](port), { port });
        const proc = startProcess(inst.script, ['fg'], { cwd: other });
        const exit = await proc.exited;
        expect(exit.code, `${backend}: ${proc.output()}`).toBe(4);
        expect(proc.output()).toContain(`error: address 127.0.0.1:${port} is already in use`);
        expect(proc.output()).not.toMatch(/Traceback/);
        expect(readPid(inst.pidFile)).toBeUndefined();
      }
    } finally {
      holder.child.kill('SIGTERM');
      await holder.exited;
    }
  });

  it('a missing server module is named with the distributions to add, exit code 2, before the app loads', async () => {
    // the `minimal` environment has PasteDeploy, Paste and the demo app: no server but ours
    const minimal = await testEnv('minimal');
    for (const [backend, message] of [
      ['bjoern', "error: bjoern is not installed in this buildout's environment: add `bjoern` (and `dataflake.wsgi.bjoern`) to [instance] eggs"],
      ['cheroot', "error: cheroot is not installed in this buildout's environment: add `cheroot` (and `dataflake.wsgi.cheroot`) to [instance] eggs"],
      ['gunicorn', "error: gunicorn is not installed in this buildout's environment: add `gunicorn` to [instance] eggs"],
      ['ours', "error: waitress is not installed in this buildout's environment: add `waitress` to [instance] eggs"],
    ] as const) {
      const root = testdir();
      const port = await freePort();
      const inst = writeInstance(root, minimal, SERVER_MAIN[backend](port), { port, appExtra: 'startup_delay = 30\n' });
      const proc = startProcess(inst.script, ['fg'], { cwd: root });
      const exit = await proc.exited;
      expect(exit.code, proc.output()).toBe(2);
      expect(proc.output()).toContain(message);
      // refused before the (30 s) application load
      expect(proc.output()).not.toMatch(/Traceback|Starting server/);
    }
  });

  it('bjoern serves GET and POST; its C extension is loaded in the fg process', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.bjoern(port), { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect((await http('POST', port, '/', 'abc')).body).toBe('received 3 bytes\n');
      expect(readFileSync(`/proc/${proc.pid}/maps`, 'utf8')).toMatch(/\/_bjoern[^/\n]*\.so$/m);
    } finally {
      proc.child.kill('SIGINT');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('an unknown distribution in `use` is named, exit code 2', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, `use = egg:no.such.server#main\nport = ${port}\n`, { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    expect((await proc.exited).code).toBe(2);
    expect(proc.output()).toContain('the distribution no.such.server is not installed');
    expect(proc.output()).not.toMatch(/Traceback/);
  });

  it('`wsgi = <ini>`: any PasteDeploy app (demo/app) is served directly', async () => {
    const root = testdir();
    const port = await freePort();
    const ini = join(root, 'demo.ini');
    writeFileSync(ini, readFileSync(join(DEMO_APP_DIR, 'demo.ini'), 'utf8').replace('127.0.0.1:8080', `127.0.0.1:${port}`));
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port, wsgiIni: ini });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect((await http('GET', port, '/')).body).toBe(`Hello from the buildout-ts demo app (pid ${proc.pid})\n`);
      expect((await http('POST', port, '/', 'abcd')).body).toBe('received 4 bytes\n');
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('fast-listen binds several addresses, IPv6 in brackets included', async () => {
    const root = testdir();
    const port = await freePort();
    const serverMain = SERVER_MAIN.ours(port).replace(`fast-listen = 127.0.0.1:${port}`, `fast-listen = 127.0.0.1:${port} [::1]:${port}`);
    const inst = writeInstance(root, env, serverMain, { port });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect(proc.output()).toContain(`fast-listen: bound 127.0.0.1:${port}, [::1]:${port} before loading the application`);
      const v6 = await new Promise<string>((resolve, reject) => {
        const req = httpRequest({ host: '::1', family: 6, port, path: '/health', agent: false }, (res) => {
          let b = '';
          res.on('data', (c: Buffer) => (b += c.toString()));
          res.on('end', () => resolve(b));
        });
        req.on('error', reject);
        req.end();
      });
      expect(v6).toBe('ok\n');
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('console serves without forcing debug mode', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port });
    const proc = startProcess(inst.script, ['console'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect(JSON.parse((await http('GET', port, '/info')).body).debug_mode).toBe(false);
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('the sentry filter without sentry-sdk warns once and passes requests through', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port, pipeline: ['translogger', 'sentry', 'demo'] });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect((await http('POST', port, '/', 'abc')).body).toBe('received 3 bytes\n');
      const warnings = proc.output().match(/sentry filter: sentry-sdk is not installed, errors are NOT reported to Sentry/g) ?? [];
      // sentry-sdk is not in the servers environment
      expect(warnings.length).toBe(1);
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it('werkzeug #debugger (shim not installed) wraps the app in werkzeug\'s debugger', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, `use = egg:dataflake.wsgi.werkzeug#debugger\nhostname = 127.0.0.1\nport = ${port}\n`, { port, pipeline: ['demo'] });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      const err = await http('GET', port, '/error');
      expect(err.status).toBe(500);
      expect(err.body).toContain('Werkzeug Debugger');
      expect(err.body).toContain('the demo app&#39;s /error page raises on purpose');
      expect(proc.output()).toMatch(/dataflake\.wsgi\.werkzeug is not installed: serving `egg:dataflake\.wsgi\.werkzeug#debugger`/);
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });
});
