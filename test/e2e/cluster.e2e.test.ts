// A site scaled out, with the real things on 127.0.0.1: a ZEO server, three Zope instances
// declared once (`instances` = a list of addresses) as ZEO clients, Debian's haproxy in front
// (buildout-ts:haproxy) and bin/site (buildout-ts:site), all built by our CLI; wrk makes the
// load. What it proves: the site starts, shows its status and stops in order; two instances
// see each other's writes through ZEO; a rolling restart under steady load and a reload of the
// balancer fail no request; after a SIGKILL of an instance under load no request fails once
// haproxy has taken it out (the failures before that, and the window, are printed); the
// generated systemd units verify. Every process is killed in afterAll, also after a failure.
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { describeWrk, failures, HAVE_WRK, haproxyCommand, killBuildoutProcesses, killUntilOut, startWrk, waitAllUp } from '../fixtures/cluster/harness.js';
import { freePort, http, isAlive, readPid, runScript, sleep } from '../fixtures/instance/harness.js';
import { findOnPath } from '../../src/config/which.js';

const TESTVIEWS = join(PROJECT_ROOT, 'test', 'fixtures', 'instance', 'testviews');
const HAPROXY = findOnPath('haproxy', `${process.env.PATH}:/usr/sbin`);
const ANALYZE = findOnPath('systemd-analyze', `${process.env.PATH}:/usr/bin`);
const INSTANCES = ['instance1', 'instance2', 'instance3'];
// CI installs both (scripts/install-system-deps.sh); say why when they are missing
const MISSING = [!HAPROXY && 'haproxy', !HAVE_WRK && 'wrk'].filter(Boolean).join(' and ');

let root: string;
let ports: number[];
let frontend: number;
const figures: string[] = [];
const bin = (name: string) => join(root, 'bin', name);
const socket = () => join(root, 'var', 'balancer.sock');
const site = (...args: string[]) => runScript(bin('site'), args, { cwd: root, timeoutMs: 400_000 });
/** The components in the order bin/site reports them (`name: ...` lines; a start tried again is named twice). */
const order = (out: string) => [...new Set(out.split('\n').filter((l) => /^\S+: /.test(l)).map((l) => l.split(':')[0]!))];

describe.skipIf(!!MISSING)(`a site of three Zope instances behind haproxy${MISSING ? ` (skipped: ${MISSING} not installed; scripts/install-system-deps.sh installs them)` : ''}`, () => {
  beforeAll(async () => {
    root = testdir({}, { keep: true });
    ports = [await freePort(), await freePort(), await freePort()];
    frontend = await freePort();
    const zeoPort = await freePort();
    const statsPort = await freePort();
    writeFileSync(
      join(root, 'buildout.cfg'),
      [
        '[buildout]',
        `extends = ${join(PROJECT_ROOT, 'examples', 'versions.cfg')}`,
        `develop = ${TESTVIEWS}`,
        'parts = zeo instance balancer site',
        '',
        '[zeo]',
        'recipe = plone.recipe.zeoserver',
        `zeo-address = 127.0.0.1:${zeoPort}`,
        '',
        '[instance]',
        'recipe = plone.recipe.zope2instance',
        `instances = ${ports.map((p) => `127.0.0.1:${p}`).join(' ')}`,
        'user = admin:admin',
        'zeo-client = on',
        'zeo-address = ${zeo:zeo-address}',
        'shared-blob = on',
        'blob-storage = ${buildout:directory}/var/blobstorage',
        'zodb-temporary-storage = off',
        'zcml = buildoutts_testviews',
        'eggs =',
        '    Zope',
        '    buildoutts.testviews',
        '',
        '[balancer]',
        'recipe = buildout-ts:haproxy',
        'instances = instance',
        `bind = 127.0.0.1:${frontend}`,
        `stats-bind = 127.0.0.1:${statsPort}`,
        '',
        '[site]',
        'recipe = buildout-ts:site',
        'start-timeout = 120',
        '',
      ].join('\n'),
    );
    const b = runCli([], { cwd: root, timeoutMs: 600_000 });
    expect(b.exitCode, b.stdout + b.stderr).toBe(0);
  }, 600_000);

  afterAll(async () => {
    if (!root) return;
    spawnSync(bin('site'), ['stop'], { cwd: root, timeout: 120_000 });
    await killBuildoutProcesses(join(root, 'var'));
    if (!process.env.KEEP_TESTDIR) rmSync(root, { recursive: true, force: true });
    if (figures.length) console.log(`scale-out with Zope 6, ZEO and haproxy (3 instances, loopback):\n  ${figures.join('\n  ')}`);
  }, 180_000);

  it('buildout plan previews what install wrote: the three instances\' files, haproxy.cfg, the units', () => {
    // explicit defaults: every part is planned again, and its preview must equal the files on disk
    const plan = runCli(['instance:threads=4', 'balancer:maxconn=4096', 'site:stop-timeout=60', 'plan'], { cwd: root });
    expect(plan.exitCode, plan.stdout + plan.stderr).toBe(0);
    for (const part of ['instance', 'balancer', 'site']) expect(plan.stdout).toMatch(new RegExp(`^${part}: reinstall`, 'm'));
    expect(plan.stdout).not.toMatch(/^\s+(modify|create) /m);
    expect(plan.stdout).not.toContain('would run the recipe');
  });

  it('bin/site start starts the ZEO server, the instances, then the balancer; status shows each, with the balancer view', async () => {
    const start = site('start');
    expect(start.code, start.output).toBe(0);
    expect(order(start.stdout)).toEqual(['zeo', ...INSTANCES, 'balancer']);
    await waitAllUp(socket(), 'zope', INSTANCES);
    const status = site('status');
    expect(status.code, status.output).toBe(0);
    const lines = status.stdout.trim().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(/^zeo\s+zeo\s+running \(pid \d+\)$/);
    for (const [i, name] of INSTANCES.entries()) expect(lines[i + 1]).toMatch(new RegExp(`^${name}\\s+instance\\s+running \\(pid \\d+\\)\\s+\\[balancer: UP\\]$`));
    expect(lines[4]).toMatch(/^balancer\s+balancer\s+running \(pid \d+\)$/);
    const again = site('start');
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('instance2: daemon process already running');
  }, 400_000);

  it('the health endpoint answers on each instance, and is refused through the balancer', async () => {
    for (const port of ports) {
      const h = await http('GET', port, '/__health__');
      expect([h.status, h.body]).toEqual([200, expect.stringMatching(/^ok started=\d+\.\d+\n$/)]);
      expect(h.headers['cache-control']).toBe('no-store');
    }
    expect((await http('GET', frontend, '/__health__')).status).toBe(404);
    expect((await http('GET', frontend, '/@@whoami-process')).body).toMatch(/^pid \d+ thread/);
  });

  it('two instances on one ZEO server see each other\'s writes', async () => {
    const auth = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' };
    const post = await http('POST', ports[0]!, '/manage_addProduct/OFSP/manage_addFolder', 'id=written&title=through+instance1', 20_000, auth);
    expect(post.status, post.body).toBeLessThan(400);
    // ZEO tells the other clients asynchronously: within milliseconds
    for (const port of ports.slice(1)) expect(await eventually(port, '/written/title_or_id', 'through instance1')).toBe('through instance1');
    const edit = await http('POST', ports[2]!, '/written/manage_changeProperties', 'title=changed+through+instance3', 20_000, auth);
    expect(edit.status, edit.body).toBeLessThan(400);
    expect(await eventually(ports[0]!, '/written/title_or_id', 'changed through instance3')).toBe('changed through instance3');
  });

  async function eventually(port: number, path: string, want: string): Promise<string> {
    let seen = '';
    for (let i = 0; i < 50 && seen !== want; i++) {
      seen = (await http('GET', port, path)).body;
      if (seen !== want) await sleep(100);
    }
    return seen;
  }

  it('rolling-restart under steady load: every instance restarted in place, no request fails', async () => {
    const pids = INSTANCES.map((n) => readPid(join(root, 'var', `${n}.pid`)));
    const tokens = await Promise.all(ports.map(async (p) => (await http('GET', p, '/__health__')).body));
    // requests that take a while: each instance has some in flight when it is taken out
    const wrk = startWrk(`http://127.0.0.1:${frontend}/@@slow?seconds=0.2`, { seconds: 300, connections: 8 });
    await sleep(2000);
    const t0 = performance.now();
    const rr = site('rolling-restart');
    const took = (performance.now() - t0) / 1000;
    await sleep(1000);
    const load = await wrk.stop();
    expect(rr.code, rr.output).toBe(0);
    for (const n of INSTANCES) expect(rr.stdout).toMatch(new RegExp(`${n}: restarted, serving again after [\\d.]+ s`));
    expect(load.requests, load.text).toBeGreaterThan(50);
    expect(failures(load), load.text).toBe(0);
    // restarted in place (SIGHUP): same pids, new processes behind them
    expect(INSTANCES.map((n) => readPid(join(root, 'var', `${n}.pid`)))).toEqual(pids);
    const after = await Promise.all(ports.map(async (p) => (await http('GET', p, '/__health__')).body));
    for (const [i, t] of after.entries()) expect(t).not.toBe(tokens[i]);
    for (const n of INSTANCES) expect(readFileSync(join(root, 'var', 'log', `${n}-console.log`), 'utf8')).toContain('Restarting (SIGHUP)');
    figures.push(`rolling restart of 3 instances: ${took.toFixed(1)} s; under load: ${describeWrk(load)}`);
  }, 400_000);

  it('bin/balancer reload under load: a new worker, no request fails', async () => {
    const before = /Pid: (\d+)/.exec(await haproxyCommand(socket(), 'show info'))?.[1];
    const wrk = startWrk(`http://127.0.0.1:${frontend}/@@whoami-process`, { seconds: 60, connections: 8 });
    await sleep(1500);
    const reload = runScript(bin('balancer'), ['reload'], { cwd: root });
    await sleep(1500);
    const load = await wrk.stop();
    expect(reload.code, reload.output).toBe(0);
    expect(reload.stdout).toMatch(/balancer reloaded \(master pid \d+, new worker \d+\)/);
    expect(/Pid: (\d+)/.exec(await haproxyCommand(socket(), 'show info'))?.[1]).not.toBe(before);
    expect(failures(load), load.text).toBe(0);
    figures.push(`haproxy reload under load: ${describeWrk(load)}`);
    await waitAllUp(socket(), 'zope', INSTANCES);
  }, 120_000);

  it('SIGKILL of an instance under load: haproxy takes it out; no request fails after that', async () => {
    const victim = readPid(join(root, 'var', 'instance2.pid'))!;
    const wrk = startWrk(`http://127.0.0.1:${frontend}/@@slow?seconds=0.1`, { seconds: 120, connections: 8 });
    await sleep(2000);
    const { windowS, state } = await killUntilOut(victim, socket(), 'zope', 'instance2', 30_000);
    const before = await wrk.stop();
    expect(state).toMatch(/^DOWN/);
    const afterwards = await startWrk(`http://127.0.0.1:${frontend}/@@slow?seconds=0.1`, { seconds: 5, connections: 8 }).done;
    expect(afterwards.requests).toBeGreaterThan(20);
    expect(failures(afterwards), afterwards.text).toBe(0);
    figures.push(`SIGKILL of instance2 under load: out of the balancer after ${windowS.toFixed(2)} s; until then ${describeWrk(before)} (${failures(before)} failed)`);
    figures.push(`after it was taken out: ${describeWrk(afterwards)}`);
    const back = site('start', 'instance2');
    expect(back.code, back.output).toBe(0);
    await waitAllUp(socket(), 'zope', INSTANCES);
  }, 200_000);

  it.skipIf(!ANALYZE)('the generated systemd units verify (skipped without systemd-analyze: scripts/install-system-deps.sh installs systemd)', () => {
    const dir = join(root, 'parts', 'site', 'systemd');
    const units = readdirSync(dir).sort();
    expect(units).toEqual(['site-balancer.service', 'site-instance1.service', 'site-instance2.service', 'site-instance3.service', 'site-zeo.service', 'site.target']);
    const r = spawnSync(ANALYZE!, ['verify', '--man=no', ...units.map((u) => join(dir, u))], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    expect(readFileSync(join(dir, 'site-instance1.service'), 'utf8')).toContain(`ExecStart=${bin('instance1')} console\n`);
  });

  it('bin/site stop stops the balancer, the instances, then the ZEO server; nothing is left', async () => {
    const pids = readdirSync(join(root, 'var')).filter((f) => f.endsWith('.pid')).map((f) => readPid(join(root, 'var', f))!);
    expect(pids).toHaveLength(5);
    const stop = site('stop');
    expect(stop.code, stop.output).toBe(0);
    expect(order(stop.stdout)).toEqual(['balancer', ...INSTANCES, 'zeo']);
    for (const pid of pids) expect(isAlive(pid), `pid ${pid}`).toBe(false);
    const status = site('status');
    expect(status.code).toBe(3);
    expect(status.stdout).toMatch(/^instance2\s+instance\s+not running\s+\[balancer: not running\]$/m);
  }, 200_000);
});
