// bin/instance start/status/stop/restart/kill HUP, stale pid files, errors, .env, help, with the
// demo app (the same against a real Zope + ZEO: instance-zope-zeo.e2e.test.ts).
import { spawnSync } from 'node:child_process';
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { PythonEnv } from '../../src/python/types.js';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { SERVER_MAIN, freePort, sleep, http, isAlive, killFromPidFile, makeVenv, readPid, runScript, startProcess, waitForHttp, writeInstance, type Instance } from '../fixtures/instance/harness.js';

let env: PythonEnv;
beforeAll(async () => {
  env = await makeVenv();
}, 600_000);

const started: Instance[] = [];
afterEach(async () => {
  while (started.length) await killFromPidFile(started.pop()!.pidFile);
});

async function instance(backend: keyof typeof SERVER_MAIN = 'ours'): Promise<Instance> {
  const root = testdir();
  const port = await freePort();
  const inst = writeInstance(root, env, SERVER_MAIN[backend](port), { port });
  started.push(inst);
  return inst;
}

describe('start / status / stop', () => {
  it.each(['ours', 'cheroot', 'gunicorn', 'bjoern', 'werkzeug'] as const)('%s: start returns once HTTP answers; status 0 names the server; stop 0; status 3', async (backend) => {
    const inst = await instance(backend);
    const start = runScript(inst.script, ['start'], { cwd: inst.root });
    expect(start.code, start.output).toBe(0);
    expect(start.stdout).toMatch(/daemon process started, pid=\d+ \(answering on http:\/\/127\.0\.0\.1:\d+\/\)/);
    // no polling here: start promised that the server answers now
    const page = await http('GET', inst.port, '/');
    expect(page.status).toBe(200);
    const pid = readPid(inst.pidFile);
    expect(pid).toBeDefined();
    expect(isAlive(pid!)).toBe(true);
    expect(start.stdout).toContain(`pid=${pid}`);

    const status = runScript(inst.script, ['status'], { cwd: inst.root });
    expect(status.code).toBe(0);
    const module = { ours: 'waitress', cheroot: 'cheroot', gunicorn: 'gunicorn', bjoern: 'bjoern', werkzeug: 'werkzeug' }[backend];
    const use = /use = (\S+)/.exec(SERVER_MAIN[backend](inst.port))![1]!;
    expect(status.stdout.split('\n').slice(0, 2)).toEqual([`program running; pid=${pid}`, expect.stringMatching(new RegExp(`^server: ${module} [\\d.]+ \\(use = ${use.replace(/[.#]/g, '\\$&')}\\)$`))]);
    if (backend === 'bjoern') expect(status.stdout).toMatch(new RegExp(`bjoern's C extension is loaded in process ${pid}: /\\S+/_bjoern[^/]*\\.so\\n`));

    const again = runScript(inst.script, ['start'], { cwd: inst.root });
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`daemon process already running; pid=${pid}`);

    const stop = runScript(inst.script, ['stop'], { cwd: inst.root });
    expect(stop.code, stop.output).toBe(0);
    expect(stop.stdout).toMatch(new RegExp(`daemon process stopped \\(pid ${pid}, SIGTERM, [\\d.]+ s\\)`));
    expect(isAlive(pid!)).toBe(false);
    expect(readPid(inst.pidFile)).toBeUndefined();
    await expect(http('GET', inst.port, '/', undefined, 1000)).rejects.toThrow();

    const after = runScript(inst.script, ['status'], { cwd: inst.root });
    expect(after.code).toBe(3);
    expect(after.stdout.trim()).toBe('program not running');
    const stopAgain = runScript(inst.script, ['stop'], { cwd: inst.root });
    expect(stopAgain.code).toBe(0);
    expect(stopAgain.stdout.trim()).toBe('daemon process not running');
  });

  it('restart replaces the process and answers again', async () => {
    const inst = await instance();
    expect(runScript(inst.script, ['start'], { cwd: inst.root }).code).toBe(0);
    const first = readPid(inst.pidFile)!;
    const r = runScript(inst.script, ['restart'], { cwd: inst.root });
    expect(r.code, r.output).toBe(0);
    const second = readPid(inst.pidFile)!;
    expect(second).not.toBe(first);
    expect(isAlive(first)).toBe(false);
    expect((await http('GET', inst.port, '/health')).body).toBe('ok\n');
  });

  it('a stale pid file is detected, reported and removed (status 3, then start works)', async () => {
    const inst = await instance();
    // a pid that surely is not running: a finished child's
    const gone = startProcess(env.python, ['-c', 'pass'], { cwd: inst.root });
    await gone.exited;
    writeFileSync(inst.pidFile, `${gone.pid}\n`);
    const status = runScript(inst.script, ['status'], { cwd: inst.root });
    expect(status.code).toBe(3);
    expect(status.stdout).toContain(`stale pid file ${inst.pidFile} removed (process ${gone.pid} is not running)`);
    expect(readPid(inst.pidFile)).toBeUndefined();

    writeFileSync(inst.pidFile, `${gone.pid}\n`);
    const start = runScript(inst.script, ['start'], { cwd: inst.root });
    expect(start.code, start.output).toBe(0);
    expect(start.stdout).toContain('stale pid file');
    expect(readPid(inst.pidFile)).not.toBe(gone.pid);
  });

  it('start fails with exit 1 and shows the end of the server output when the port is taken', async () => {
    const holder = await instance();
    expect(runScript(holder.script, ['start'], { cwd: holder.root }).code).toBe(0);
    const root = testdir();
    const inst = writeInstance(root, env, SERVER_MAIN.cheroot(holder.port), { port: holder.port });
    const start = runScript(inst.script, ['start'], { cwd: root });
    expect(start.code).toBe(1);
    expect(start.stdout).toContain('the server exited with code 4 before answering HTTP');
    expect(start.stdout).toContain(`error: address 127.0.0.1:${holder.port} is already in use`);
    expect(readPid(inst.pidFile)).toBeUndefined();
  });

  it('start waits for HTTP, not just the bound port; --timeout bounds the wait and the log tail is shown', async () => {
    const root = testdir();
    const port = await freePort();
    // fast-listen binds before the app loads; the stand-in then takes 2.5 s to "start Zope"
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port, appExtra: 'startup_delay = 2.5\n' });
    started.push(inst);
    const t0 = Date.now();
    const impatient = runScript(inst.script, ['--timeout', '1', 'start'], { cwd: root });
    expect(impatient.code).toBe(1);
    expect(impatient.stdout).toMatch(/did not answer within 1 s \(no HTTP answer on 127\.0\.0\.1:\d+\); it keeps running/);
    // the log tail: the port was bound before the (slow) application load
    expect(impatient.stdout).toMatch(new RegExp(`\\n  .*fast-listen: bound 127\\.0\\.0\\.1:${port} before loading the application`));
    // still loading, so no pid file yet: the message names the pid
    const slowPid = Number(/the server \(pid (\d+)\)/.exec(impatient.stdout)?.[1]);
    expect(isAlive(slowPid)).toBe(true);
    process.kill(slowPid, 'SIGKILL');
    for (let i = 0; i < 200 && isAlive(slowPid); i++) await new Promise((r) => setTimeout(r, 20));

    const t1 = Date.now();
    const patient = runScript(inst.script, ['start'], { cwd: root });
    expect(patient.code, patient.output).toBe(0);
    expect(Date.now() - t1).toBeGreaterThanOrEqual(2400);
    expect((await http('GET', port, '/health', undefined, 500)).body).toBe('ok\n');
    expect(t1 - t0).toBeGreaterThan(0);
  });

  it('stop escalates to SIGKILL when the process ignores SIGTERM (tiny stand-in program)', async () => {
    const inst = await instance();
    // (its command line names buildout_ts_wsgi: a pid file naming another program is stale)
    const stub = startProcess(env.python, [join(PROJECT_ROOT, 'test', 'fixtures', 'bin', 'ignore-term.py'), inst.pidFile, 'buildout_ts_wsgi'], { cwd: inst.root });
    for (let i = 0; i < 100 && !stub.output().includes('ready'); i++) await new Promise((r) => setTimeout(r, 20));
    const r = runScript(inst.script, ['--timeout', '0.5', 'stop'], { cwd: inst.root });
    expect(r.code, r.output).toBe(0);
    expect(r.stdout).toContain(`daemon process did not stop within 0.5 s after SIGTERM: killed (SIGKILL, pid ${stub.pid})`);
    expect((await stub.exited).signal).toBe('SIGKILL');
    expect(readPid(inst.pidFile)).toBeUndefined();
  });
});

describe('environment and commands', () => {
  it('reads .env from the buildout directory without overriding existing variables; INSTANCE_HOME is set', async () => {
    const inst = await instance();
    writeFileSync(join(inst.root, '.env'), '# comment\nDEMO_FROM_DOTENV="hello world" # trailing\nexport DEMO_KEPT=from-dotenv\n');
    const proc = startProcess(inst.script, ['fg'], { cwd: inst.root, env: { DEMO_KEPT: 'from-environment' } });
    try {
      await waitForHttp(inst.port, proc);
      const info = JSON.parse((await http('GET', inst.port, '/info')).body);
      expect(info.DEMO_FROM_DOTENV).toBe('hello world');
      expect(info.DEMO_KEPT).toBe('from-environment');
      expect(info.INSTANCE_HOME).toBe(join(inst.root, 'parts', 'instance'));
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });

  it('debug, run and adduser say that Zope is not installed (exit 2)', async () => {
    const inst = await instance();
    for (const args of [['debug'], ['run', 'script.py'], ['adduser', 'admin', 'secret']]) {
      const r = runScript(inst.script, args, { cwd: inst.root });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`error: \`${args[0]}\` needs Zope, and Zope is not installed in this buildout's environment`);
    }
  });

  it('help exits 0; --help on every command prints its own help (exit 0); no command or an unknown one exits 2', async () => {
    const inst = await instance();
    const help = runScript(inst.script, ['help'], { cwd: inst.root });
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: instance [--timeout SECONDS] COMMAND [ARGS]');
    for (const command of ['fg', 'console', 'start', 'stop', 'restart', 'status', 'kill', 'logtail', 'debug', 'run', 'adduser', 'help']) {
      for (const flag of ['--help', '-h']) {
        const r = runScript(inst.script, [command, flag], { cwd: inst.root });
        expect(r.code, `${command} ${flag}: ${r.output}`).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`^usage: instance (\\[--timeout SECONDS\\] )?${command}\\b`));
      }
    }
    // fg --help is ours, not the launcher's argparse usage; start --help does not start anything
    expect(runScript(inst.script, ['fg', '--help'], { cwd: inst.root }).stdout).not.toContain('buildout_ts_wsgi.serve');
    expect(readPid(inst.pidFile)).toBeUndefined();
    const none = runScript(inst.script, [], { cwd: inst.root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: instance');
    const bad = runScript(inst.script, ['frobnicate'], { cwd: inst.root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("error: unknown command 'frobnicate'");
  });

  it('start in a read-only buildout directory: one line naming the path and the problem, exit 2, no traceback', async () => {
    const inst = await instance();
    // root ignores file modes: a read-only bind mount in a mount namespace of its own, else chmod
    const asRoot = process.getuid?.() === 0;
    const r = asRoot
      ? spawnSync('unshare', ['-m', '--', 'sh', '-c', 'mount --bind -o ro "$1" "$1" && exec "$2" start', 'sh', inst.root, inst.script], { encoding: 'utf8' })
      : (spawnSync('chmod', ['-R', 'a-w', join(inst.root, 'var')]), spawnSync(inst.script, ['start'], { encoding: 'utf8' }));
    if (!asRoot) spawnSync('chmod', ['-R', 'u+w', join(inst.root, 'var')]);
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toBe(`error: cannot write the console log: ${join(inst.root, 'var', 'log', 'instance-console.log')}: ${asRoot ? 'Read-only file system' : 'Permission denied'}\n`);
    expect(r.stdout).toBe('');
  });

  it('kill HUP restarts the server in place: same pid, the application loaded again', async () => {
    const inst = await instance('bjoern');
    expect(runScript(inst.script, ['start'], { cwd: inst.root }).code).toBe(0);
    const pid = readPid(inst.pidFile)!;
    const hup = runScript(inst.script, ['kill', 'HUP'], { cwd: inst.root });
    expect(hup.stdout.trim()).toBe(`signal SIGHUP sent to process ${pid} (the server restarts in place)`);
    for (let i = 0; i < 200 && (readFileSync(join(inst.root, 'var', 'log', 'instance-console.log'), 'utf8').match(/Starting server in PID/g) ?? []).length < 2; i++) await sleep(50);
    await waitForHttp(inst.port);
    expect(JSON.parse((await http('GET', inst.port, '/info')).body).pid).toBe(pid);
    expect(readPid(inst.pidFile)).toBe(pid);
    const log = readFileSync(join(inst.root, 'var', 'log', 'instance-console.log'), 'utf8');
    expect(log).toContain('Restarting (SIGHUP)');
    expect(log.match(new RegExp(`Starting server in PID ${pid}\\.`, 'g'))?.length).toBe(2);
    expect(runScript(inst.script, ['stop'], { cwd: inst.root }).code).toBe(0);
  });

  it('logtail prints the end of the event log and follows it; Ctrl-C ends it with 0', async () => {
    const inst = await instance();
    writeFileSync(inst.eventLog, Array.from({ length: 15 }, (_, i) => `old line ${i + 1}`).join('\n') + '\n');
    const tail = startProcess(inst.script, ['logtail'], { cwd: inst.root });
    try {
      for (let i = 0; i < 200 && !tail.output().includes('old line 15'); i++) await sleep(20);
      expect(tail.output()).not.toContain('old line 5\n');
      expect(tail.output()).toContain('old line 6\n');
      appendFileSync(inst.eventLog, 'a new line\n');
      for (let i = 0; i < 200 && !tail.output().includes('a new line'); i++) await sleep(20);
      expect(tail.output()).toContain('a new line\n');
      // no shell and no tail(1): the pid we started is the Python control script itself
      expect(readFileSync(`/proc/${tail.pid}/cmdline`, 'utf8')).toContain(inst.script);
    } finally {
      tail.child.kill('SIGINT');
      expect((await tail.exited).code).toBe(0);
    }
  });

  it('zopectl-umask applies to the server: a fresh event log is created 0600 with umask 077', async () => {
    const root = testdir();
    const port = await freePort();
    const inst = writeInstance(root, env, SERVER_MAIN.ours(port), { port, umask: 0o077 });
    const proc = startProcess(inst.script, ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc);
      expect(statSync(inst.eventLog).mode & 0o777).toBe(0o600);
    } finally {
      proc.child.kill('SIGTERM');
      await proc.exited;
    }
  });
});
