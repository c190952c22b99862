// The proofs with the real thing: our CLI builds a buildout with a real Zope (PyPI, the pins of
// examples/versions.cfg) as a ZEO client of a real ZEO server, then bin/instance serves it with
// every WSGI server: SIGTERM and SIGINT stop each within seconds and a request in flight is
// answered first; status names the server; kill HUP restarts in place; adduser, run and debug
// work on the database of zope.conf (through ZEO, while the server runs), and so do the commands
// that distributions add (zodbverify from PyPI, the test add-on's zopectl.command and
// plone.recipe.zope2instance.ctl entry points); bin/zeo restarts in place on HUP. The stop times
// are printed at the end.
import { cpSync, existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, isAlive, killFromPidFile, readPid, runScript, sleep, startProcess, waitForHttp, type Running } from '../fixtures/instance/harness.js';

const TESTVIEWS = join(PROJECT_ROOT, 'test', 'fixtures', 'instance', 'testviews');
const BACKENDS = ['waitress (built-in wsgi.ini)', 'waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian'] as const;
type BackendName = (typeof BACKENDS)[number];
const TEMPLATE: Record<BackendName, string | undefined> = {
  'waitress (built-in wsgi.ini)': undefined,
  waitress: 'waitress.ini.in',
  bjoern: 'bjoern.ini.in',
  cheroot: 'cheroot.ini.in',
  werkzeug: 'werkzeug.ini.in',
  gunicorn: 'gunicorn.ini.in',
  granian: 'granian.ini.in',
};
const MODULE: Record<BackendName, string> = { 'waitress (built-in wsgi.ini)': 'waitress', waitress: 'waitress', bjoern: 'bjoern', cheroot: 'cheroot', werkzeug: 'werkzeug', gunicorn: 'gunicorn', granian: 'granian' };
// these run the application in worker processes (the launcher is their master)
const IN_WORKER: readonly BackendName[] = ['gunicorn', 'granian'];

let root: string;
let port: number;
const stopTimes: string[] = [];

const bin = (name: string) => join(root, 'bin', name);
const pidFile = () => join(root, 'var', 'instance.pid');
const READY = '/@@whoami-process';

beforeAll(async () => {
  root = testdir({}, { keep: true });
  port = await freePort();
  const zeoPort = await freePort();
  // the training's templates hard-code port 8080 (as the real ones do): copies on our port
  cpSync(join(PROJECT_ROOT, 'templates'), join(root, 'templates'), { recursive: true });
  for (const t of Object.values(TEMPLATE)) {
    if (!t) continue;
    const file = join(root, 'templates', t);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
  }
  writeFileSync(
    join(root, 'buildout.cfg'),
    [
      '[buildout]',
      `extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}`,
      `develop = ${TESTVIEWS}`,
      'parts = zeo instance',
      '',
      '[zeo]',
      'recipe = plone.recipe.zeoserver',
      `zeo-address = 127.0.0.1:${zeoPort}`,
      '',
      '[instance]',
      'recipe = plone.recipe.zope2instance',
      'user = admin:admin',
      `http-address = 127.0.0.1:${port}`,
      'zeo-client = on',
      'zeo-address = ${zeo:zeo-address}',
      'shared-blob = on',
      'blob-storage = ${buildout:directory}/var/blobstorage',
      // plain Zope has no tempstorage
      'zodb-temporary-storage = off',
      'zcml = buildoutts_testviews',
      'eggs =',
      ...['Zope', 'buildoutts.testviews', 'zodbverify', 'Paste', 'waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian', 'dataflake.wsgi.bjoern', 'dataflake.wsgi.cheroot', 'dataflake.wsgi.werkzeug'].map((e) => `    ${e}`),
      '',
    ].join('\n'),
  );
  build();
  const zeo = runScript(bin('zeo'), ['start'], { cwd: root });
  expect(zeo.code, zeo.output).toBe(0);
}, 600_000);

afterAll(async () => {
  if (!root) return;
  await killFromPidFile(pidFile());
  runScript(bin('zeo'), ['stop'], { cwd: root });
  await killFromPidFile(join(root, 'var', 'zeo.pid'));
  rmSync(root, { recursive: true, force: true });
  console.log(`stop times with Zope 6 + ZEO (signal sent -> process gone):\n  ${stopTimes.join('\n  ')}`);
});

function build(template?: string): void {
  const args = template ? [`instance:wsgi-ini-template=${join(root, 'templates', template)}`] : [];
  const r = runCli(args, { cwd: root, timeoutMs: 600_000 });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
}

/** Sends the signal and measures how long the process takes to go. */
async function stopWith(proc: Running, signal: NodeJS.Signals): Promise<number> {
  const t0 = performance.now();
  proc.child.kill(signal);
  const exit = await proc.exited;
  const took = (performance.now() - t0 - 50) / 1000; // `exited` resolves 50 ms after the exit
  expect(exit, proc.output()).toEqual({ code: 0, signal: null });
  return took;
}

async function slowRequest(seconds: number): Promise<{ body?: string; error?: string }> {
  try {
    return { body: (await http('GET', port, `/@@slow?seconds=${seconds}`, undefined, (seconds + 20) * 1000)).body };
  } catch (e) {
    return { error: String(e) };
  }
}

describe.each(BACKENDS)('Zope 6 as a ZEO client, served by %s', (backend) => {
  beforeAll(() => build(TEMPLATE[backend]), 300_000);

  it('fg serves Zope; SIGTERM with a request in flight answers it, then stops within seconds; SIGINT too', async () => {
    const use = /^use = (.*)$/m.exec(readFileSync(join(root, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8'))?.[1];
    let proc = startProcess(bin('instance'), ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc, 60_000, READY);
      const who = (await http('GET', port, READY)).body;
      if (IN_WORKER.includes(backend)) expect(who).not.toContain(`pid ${proc.pid} `);
      else expect(who).toContain(`pid ${proc.pid} `);
      expect((await http('GET', port, '/manage_main')).status).toBe(401);

      const inFlight = slowRequest(2);
      await sleep(700); // the request runs
      const took = await stopWith(proc, 'SIGTERM');
      const answer = await inFlight;
      expect(answer.body, `${JSON.stringify(answer)}\n${proc.output()}`).toMatch(/^slept 2\.0 s in process \d+/);
      expect(took).toBeLessThan(5);
      expect(proc.output()).not.toMatch(/Traceback/);
      expect(readPid(pidFile())).toBeUndefined();
      stopTimes.push(`${backend} (${use}): SIGTERM with a 2 s request in flight (sent 0.7 s in): ${took.toFixed(2)} s`);
    } finally {
      if (proc.exit === undefined) proc.child.kill('SIGKILL');
    }

    proc = startProcess(bin('instance'), ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc, 60_000, READY);
      // a browser's idle keep-alive connection must not hold the stop up
      const idle = await fetch(`http://127.0.0.1:${port}${READY}`, { keepalive: true });
      expect(idle.status).toBe(200);
      const took = await stopWith(proc, 'SIGINT');
      expect(took).toBeLessThan(3);
      stopTimes.push(`${backend}: SIGINT, idle: ${took.toFixed(2)} s`);
    } finally {
      if (proc.exit === undefined) proc.child.kill('SIGKILL');
    }
  });

  it('start, status (the server and its module), stop', async () => {
    const start = runScript(bin('instance'), ['start'], { cwd: root });
    try {
      expect(start.code, start.output).toBe(0);
      const pid = readPid(pidFile())!;
      const status = runScript(bin('instance'), ['status'], { cwd: root });
      expect(status.code).toBe(0);
      const lines = status.stdout.trim().split('\n');
      expect(lines[0]).toBe(`program running; pid=${pid}`);
      expect(lines[1]).toMatch(new RegExp(`^server: ${MODULE[backend]} [\\d.]+ \\(use = egg:`));
      if (backend === 'granian') {
        // the worker that serves (and loaded Zope) is the launcher's child
        const worker = /pid (\d+) /.exec((await http('GET', port, READY)).body)?.[1];
        expect(lines[2]).toBe(`granian workers (each loads the application): pid ${worker}`);
      }
      if (backend === 'bjoern') {
        // what the training checks with `pmap`: the C extension in the running process
        expect(lines[2]).toMatch(new RegExp(`^bjoern's C extension is loaded in process ${pid}: \\S+/_bjoern[^/]*\\.so$`));
        expect(readFileSync(`/proc/${pid}/maps`, 'utf8')).toContain(lines[2]!.split(': ')[1]);
      }
      const t0 = performance.now();
      const stop = runScript(bin('instance'), ['stop'], { cwd: root });
      const took = (performance.now() - t0) / 1000;
      expect(stop.code, stop.output).toBe(0);
      expect(stop.stdout).toMatch(/daemon process stopped \(pid \d+, SIGTERM, [\d.]+ s\)/);
      expect(isAlive(pid)).toBe(false);
      stopTimes.push(`${backend}: bin/instance stop: ${took.toFixed(2)} s (${/SIGTERM, ([\d.]+ s)/.exec(stop.stdout)?.[1]} in the server)`);
    } finally {
      await killFromPidFile(pidFile());
    }
  });

  it('logreopen after logrotate moved the event log: the server writes a new one (gunicorn, granian: refused with the fix)', async () => {
    const start = runScript(bin('instance'), ['start'], { cwd: root });
    try {
      expect(start.code, start.output).toBe(0);
      const pid = readPid(pidFile())!;
      const log = /^args = \(r?'([^']*instance\.log)'/m.exec(readFileSync(join(root, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8'))![1]!;
      renameSync(log, `${log}.1`);
      const reopen = runScript(bin('instance'), ['logreopen'], { cwd: root });
      if (backend === 'gunicorn' || backend === 'granian') {
        expect(reopen.code).toBe(2);
        expect(reopen.output).toContain(`logreopen: under ${backend} the workers hold the log files`);
        expect(reopen.output).toContain('event-log-handler = logging.handlers.WatchedFileHandler');
        return;
      }
      expect(reopen.code, reopen.output).toBe(0);
      expect(reopen.stdout.trim()).toBe(`signal SIGUSR2 sent to process ${pid} (the server reopens its log files)`);
      await http('GET', port, READY);
      // the new file appears before the reopening thread has logged that it is done
      const REOPENED = /reopened \d+ log file\(s\) \(SIGUSR2\)/;
      for (let i = 0; i < 100 && !(existsSync(log) && REOPENED.test(readFileSync(log, 'utf8'))); i++) await sleep(50);
      expect(readFileSync(log, 'utf8')).toMatch(REOPENED);
      expect(readPid(pidFile())).toBe(pid);
      expect((await http('GET', port, READY)).status).toBe(200);
    } finally {
      runScript(bin('instance'), ['stop'], { cwd: root });
      await killFromPidFile(pidFile());
    }
  });
});

describe('granian: kill HUP restarts in place, a new worker loads Zope again and reaches ZEO', () => {
  beforeAll(() => build(TEMPLATE.granian), 300_000);

  it('same launcher pid and pid file, a new worker pid, the database answers', async () => {
    expect(runScript(bin('instance'), ['start'], { cwd: root }).code).toBe(0);
    try {
      const pid = readPid(pidFile())!;
      const before = /pid (\d+) /.exec((await http('GET', port, READY)).body)![1];
      expect(runScript(bin('instance'), ['kill', 'HUP'], { cwd: root }).code).toBe(0);
      const log = join(root, 'var', 'log', 'instance-console.log');
      for (let i = 0; i < 400 && !/Restarting \(SIGHUP\)[\s\S]*Starting server in PID/.test(readFileSync(log, 'utf8').split('--- ').pop()!); i++) await sleep(50);
      await waitForHttp(port, undefined, 60_000, READY);
      const after = /pid (\d+) /.exec((await http('GET', port, READY)).body)![1];
      expect(after).not.toBe(before);
      expect(isAlive(Number(before))).toBe(false);
      expect(readPid(pidFile())).toBe(pid);
      // the new worker's ZEO client: an authenticated page through the user folder in ZODB
      const auth = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };
      expect((await http('GET', port, '/manage_main', undefined, 10_000, auth)).status).toBe(200);
    } finally {
      runScript(bin('instance'), ['stop'], { cwd: root });
      await killFromPidFile(pidFile());
    }
  });
});

describe('adduser, run, debug and restarts against the running Zope (through ZEO)', () => {
  beforeAll(() => build(TEMPLATE.bjoern), 300_000);

  it('adduser while the server runs: the new Manager logs in over HTTP through it', async () => {
    const start = runScript(bin('instance'), ['start'], { cwd: root });
    expect(start.code, start.output).toBe(0);
    try {
      const auth = (user: string, pass: string) => ({ Authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` });
      expect((await http('GET', port, '/@@manager-only', undefined, 10_000, auth('alice', 'wonderland'))).status).toBe(401);
      const add = runScript(bin('instance'), ['adduser', 'alice', 'wonderland'], { cwd: root });
      expect(add.code, add.output).toBe(0);
      expect(add.stdout).toBe('Created user: alice\n');
      const page = await http('GET', port, '/@@manager-only', undefined, 10_000, auth('alice', 'wonderland'));
      expect(page.status, page.body).toBe(200);
      expect(page.body).toBe('hello alice\n');
      expect((await http('GET', port, '/@@manager-only', undefined, 10_000, auth('alice', 'wrong'))).status).toBe(401);
      const again = runScript(bin('instance'), ['adduser', 'alice', 'x'], { cwd: root });
      expect([again.code, again.stderr]).toEqual([1, 'error: user alice already exists\n']);
    } finally {
      runScript(bin('instance'), ['stop'], { cwd: root });
      await killFromPidFile(pidFile());
    }
  });

  it('run SCRIPT works on the database of zope.conf (ZEO, not a temporary one); the server then serves what it wrote', async () => {
    const script = join(testdir(), 'make-folder.py');
    writeFileSync(script, 'import sys, transaction\nprint(type(app._p_jar.db().storage).__name__, sys.argv[1:])\napp.manage_addFolder(sys.argv[1], title="made by run")\ntransaction.commit()\n');
    // a relative script path is taken from where the user is, not from the buildout directory
    const r = spawnSync(bin('instance'), ['run', 'make-folder.py', 'from-run'], { cwd: join(script, '..'), encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("ClientStorage ['from-run']\n");
    const proc = startProcess(bin('instance'), ['fg'], { cwd: root });
    try {
      await waitForHttp(port, proc, 60_000, READY);
      expect((await http('GET', port, '/from-run/title_or_id')).body).toBe('made by run');
    } finally {
      await stopWith(proc, 'SIGTERM');
    }
  });

  it('commands that distributions add: zopectl.command (app bound, through ZEO), the recipe\'s ctl group, zodbverify from PyPI; listed by help', () => {
    const instance = (...args: string[]) => spawnSync(bin('instance'), args, { cwd: root, encoding: 'utf8', timeout: 300_000 });
    const made = instance('testviews-folder', 'from-entry-point', 'made', 'by', 'an', 'entry', 'point');
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toBe("ClientStorage testviews-folder ['from-entry-point', 'made', 'by', 'an', 'entry', 'point']\n");
    const read = spawnSync(bin('instance'), ['debug'], { cwd: root, encoding: 'utf8', input: "print(app['from-entry-point'].title)\n" });
    expect(read.stdout).toContain('made by an entry point');
    // the command's own sys.exit(message): exit 1, its message, no traceback
    const usage = instance('testviews-folder');
    expect([usage.status, usage.stderr.trim()]).toEqual([1, 'usage: testviews-folder ID [TITLE...]']);

    const options = instance('testviews-options', 'a', 'b');
    expect(options.status, options.stderr).toBe(0);
    expect(options.stdout).toBe(`configfile=${join(root, 'parts', 'instance', 'etc', 'zope.conf')} arg='a b'\n`);
    expect(instance('testviews-options', 'fail').status).toBe(1);

    const verify = instance('zodbverify');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(verify.stdout + verify.stderr).toMatch(/Done! Scanned \d+ records\.\s*\nFound 0 records that could not be loaded/);
    // its own --help (argparse), not ours
    const verifyHelp = instance('zodbverify', '--help');
    expect(verifyHelp.stdout).toContain('Verifies that all records in the database can be loaded');

    const help = instance('help');
    expect(help.stdout).toMatch(/commands of the installed distributions[^\n]*\n(  .*\n)*  testviews-folder \(buildoutts\.testviews\)\n(  .*\n)*  zodbverify \(zodbverify\)/);
    expect(instance('help', 'zodbverify').stdout).toContain('Added by zodbverify (entry point zodbverify.entrypoint:zopectl_entry, group plone.recipe.zope2instance.ctl)');
    // bin/instance's own commands come first
    expect(instance('status', '--help').stdout).toMatch(/^usage: instance status/);
    const unknown = instance('nosuch');
    expect([unknown.status, unknown.stderr]).toEqual([2, "error: unknown command 'nosuch' (try `instance help`)\n"]);
  });

  it('debug is driven through stdin; kill HUP restarts the running server in place; bin/zeo restarts in place on HUP and the instance reconnects', async () => {
    const debug = spawnSync(bin('instance'), ['debug'], { cwd: root, encoding: 'utf8', input: 'print(sorted(app.objectIds()))\nprint(type(app._p_jar.db().storage).__name__)\n' });
    expect(debug.status, debug.stderr).toBe(0);
    expect(debug.stdout).toContain("'acl_users'");
    expect(debug.stdout).toContain("'from-run'");
    expect(debug.stdout).toContain('ClientStorage');
    expect(debug.stderr).toContain('Starting debugger (the name "app" is bound to the top-level Zope object)');

    expect(runScript(bin('instance'), ['start'], { cwd: root }).code).toBe(0);
    try {
      const pid = readPid(pidFile())!;
      expect(runScript(bin('instance'), ['kill', 'HUP'], { cwd: root }).code).toBe(0);
      const log = join(root, 'var', 'log', 'instance-console.log');
      for (let i = 0; i < 400 && !/Restarting \(SIGHUP\)[\s\S]*Starting server in PID/.test(readFileSync(log, 'utf8').split('--- ').pop()!); i++) await sleep(50);
      await waitForHttp(port, undefined, 60_000, READY);
      expect((await http('GET', port, READY)).body).toContain(`pid ${pid} `);
      expect(readPid(pidFile())).toBe(pid);

      const zeoPid = readPid(join(root, 'var', 'zeo.pid'))!;
      const hup = runScript(bin('zeo'), ['kill', 'HUP'], { cwd: root });
      expect(hup.stdout.trim()).toBe(`signal SIGHUP sent to process ${zeoPid} (the server restarts in place)`);
      for (let i = 0; i < 200 && readPid(join(root, 'var', 'zeo.pid')) !== zeoPid; i++) await sleep(50);
      await sleep(500);
      expect(runScript(bin('zeo'), ['status'], { cwd: root }).stdout.trim()).toBe(`program running; pid=${zeoPid}`);
      expect(readFileSync(join(root, 'var', 'log', 'zeo.log'), 'utf8')).toContain('restarting in place (SIGHUP)');
      // the ZEO client reconnects: the database answers again through the server
      let title = '';
      for (let i = 0; i < 100 && title !== 'made by run'; i++) {
        title = (await http('GET', port, '/from-run/title_or_id').catch(() => ({ body: '' }))).body;
        if (title !== 'made by run') await sleep(200);
      }
      expect(title).toBe('made by run');
    } finally {
      runScript(bin('instance'), ['stop'], { cwd: root });
      await killFromPidFile(pidFile());
    }
  });
});

describe('Zope 6 whose ZEO server is not running', () => {
  it('fg says so in one line after ZEO gives up waiting (no traceback), exit 2', () => {
    expect(runScript(bin('zeo'), ['stop'], { cwd: root }).code).toBe(0);
    const r = spawnSync(bin('instance'), ['fg'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(2);
    expect(r.stderr).toMatch(/^error: the ZEO server at 127\.0\.0\.1:\d+ did not answer \(timed out waiting for connection\): is it running\? Start it \(bin\/zeo start\)/m);
    expect(`${r.stdout}${r.stderr}`).not.toContain('Traceback');
  }, 120_000);
});
