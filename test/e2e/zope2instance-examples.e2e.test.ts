// The example buildouts (examples/<server>.cfg: the WSGI training's layout with real
// Plone 6 from PyPI, a ZEO server and a local add-on) in one buildout directory, built one
// after the other as the training does it:
// 1. each builds (which includes loading zope.conf with Zope's schema and resolving the
//    wsgi.ini's server and pipeline with PasteDeploy) and writes what the real
//    zc.buildout + recipes write for the same file (differential, docs/differences.md);
// 2. with bin/zeo running, each example's bin/instance serves Zope through its own WSGI
//    server on 127.0.0.1: the Server header names it, an authenticated POST writes through
//    ZEO (and does not hang behind werkzeug), then `stop` stops it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { expectedOurs, readNormalised } from '../differential/compare.js';
import { runZcBuildout, zopeReference, type Reference } from '../helpers/reference.js';
import { freePort, isAlive, killFromPidFile, sleep } from '../fixtures/instance/harness.js';

const SERVERS = ['base', 'waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian'] as const;
const EXPECTED: Record<(typeof SERVERS)[number], { use: string; keys: Record<string, string>; header: RegExp | undefined }> = {
  base: { use: 'egg:buildout-ts-wsgi#main', keys: { 'fast-listen': '0.0.0.0:8080' }, header: /^waitress$/ },
  waitress: { use: 'egg:waitress#main', keys: { listen: '127.0.0.1:8080', threads: '4' }, header: /^waitress$/ },
  bjoern: { use: 'egg:dataflake.wsgi.bjoern#main', keys: { listen: '127.0.0.1:8080', reuse_port: 'True' }, header: undefined },
  cheroot: { use: 'egg:dataflake.wsgi.cheroot#main', keys: { host: '127.0.0.1', port: '8080' }, header: /\S/ },
  werkzeug: { use: 'egg:dataflake.wsgi.werkzeug#main', keys: { hostname: '127.0.0.1', port: '8080' }, header: /^Werkzeug\// },
  gunicorn: { use: 'egg:gunicorn#main', keys: { host: '127.0.0.1', workers: '1' }, header: /^gunicorn/ },
  granian: { use: 'egg:buildout-ts-wsgi#granian', keys: { listen: '127.0.0.1:8080', workers: '1', threads: '4' }, header: undefined },
};
const FILES = ['parts/instance/etc/zope.conf', 'parts/instance/etc/wsgi.ini', 'parts/instance/etc/site.zcml', 'parts/instance/inituser', 'parts/zeo/etc/zeo.conf'];

let ref: Reference;
let ours: string;
let real: string;
const copyExamples = (root: string) => {
  for (const dir of ['examples', 'templates']) {
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true, filter: (src) => !/(__pycache__|\.egg-info|\/parts$|\/bin$|\/var$|\.buildout$|\.installed\.cfg$|\.mr\.developer)/.test(src) });
  }
};

beforeAll(async () => {
  ref = zopeReference('plone');
  ours = testdir({}, { keep: true });
  real = testdir({}, { keep: true });
  copyExamples(ours);
  copyExamples(real);
}, 1_800_000);

afterAll(async () => {
  await killFromPidFile(join(ours, 'examples', 'var', 'instance.pid'));
  spawnSync(join(ours, 'examples', 'bin', 'zeo'), ['stop'], { timeout: 30_000 });
  await killFromPidFile(join(ours, 'examples', 'var', 'zeo.pid'));
  if (!process.env.KEEP_TESTDIR) for (const d of [ours, real]) rmSync(d, { recursive: true, force: true });
});

describe('the examples build as the real tools build them', () => {
  it.each(SERVERS)('%s.cfg', (server) => {
    const r = runCli(['-c', `examples/${server}.cfg`], { cwd: ours, timeoutMs: 900_000 });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/Traceback|Error/);
    const w = runZcBuildout(ref, join(real, 'examples'), ['-c', `${server}.cfg`]);
    expect(w.exitCode, w.output).toBe(0);
    for (const rel of FILES) {
      const want = expectedOurs(rel, readNormalised(join(real, 'examples', rel), real));
      expect(readNormalised(join(ours, 'examples', rel), ours), `${server}: ${rel}`).toBe(want);
    }
    const ini = readFileSync(join(ours, 'examples', 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8');
    const main = ini.slice(ini.indexOf('[server:main]'), ini.indexOf('\n[', ini.indexOf('[server:main]') + 1));
    expect(main).toContain(`use = ${EXPECTED[server].use}\n`);
    for (const [k, v] of Object.entries(EXPECTED[server].keys)) expect(main, server).toContain(`\n${k} = ${v}\n`);
    // Plone is in the working set: no temporary storage, as the recipe decides
    expect(readFileSync(join(ours, 'examples', 'parts', 'instance', 'etc', 'zope.conf'), 'utf8')).not.toContain('temporarystorage');
  }, 900_000);
});

describe('each example serves the real Zope through its WSGI server, via ZEO', () => {
  let zeoPort: number;
  beforeAll(async () => {
    zeoPort = await freePort();
  });

  it.each(SERVERS)('%s', (server) => serve(server), 600_000);

  async function serve(server: (typeof SERVERS)[number]): Promise<void> {
    const port = await freePort();
    // plone.protect refuses a ZMI POST without its CSRF token once its keyring exists
    const args = ['-c', `examples/${server}.cfg`, `zeo:zeo-address=127.0.0.1:${zeoPort}`, 'instance:environment-vars=PLONE_CSRF_DISABLED true'];
    if (['cheroot', 'werkzeug', 'gunicorn'].includes(server)) {
      // these templates name their port (the servers cannot use http-address)
      const tpl = join(ours, 'templates', `${server}.ini.in`);
      writeFileSync(tpl, readFileSync(join(PROJECT_ROOT, 'templates', `${server}.ini.in`), 'utf8').replace('port = 8080', `port = ${port}`));
    } else args.push(`instance:http-address=127.0.0.1:${port}`);
    const b = runCli(args, { cwd: ours, timeoutMs: 600_000 });
    expect(b.exitCode, b.stderr).toBe(0);
    const bin = join(ours, 'examples', 'bin');
    if (!existsSync(join(ours, 'examples', 'var', 'zeo.pid'))) {
      const z = spawnSync(join(bin, 'zeo'), ['start'], { cwd: ours, encoding: 'utf8', timeout: 60_000 });
      expect(z.status, z.stdout + z.stderr).toBe(0);
    }
    const start = spawnSync(join(bin, 'instance'), ['start'], { cwd: ours, encoding: 'utf8', timeout: 180_000 });
    try {
      expect(start.status, start.stdout + start.stderr).toBe(0);
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      const header = home.headers.get('server');
      const want = EXPECTED[server].header;
      if (want) expect(header, `Server header of ${server}`).toMatch(want);
      await home.text();
      // an authenticated write (the initial user from inituser) through the pipeline and ZEO
      const id = `folder-${server}`;
      const auth = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
      const post = await fetch(`http://127.0.0.1:${port}/manage_addProduct/OFSP/manage_addFolder`, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `id=${id}&title=${server}`,
        redirect: 'manual',
        signal: AbortSignal.timeout(30_000),
      });
      expect(post.status, await post.text()).toBeLessThan(400);
      const folder = await fetch(`http://127.0.0.1:${port}/${id}/title_or_id`, { headers: { Authorization: auth } });
      expect([folder.status, (await folder.text()).trim()]).toEqual([200, server]);
    } finally {
      const stop = spawnSync(join(bin, 'instance'), ['stop'], { cwd: ours, encoding: 'utf8', timeout: 60_000 });
      // a start that timed out leaves the server running without a pid file: its pid is in the message
      const orphan = /\(pid (\d+)\)/.exec(start.stdout + start.stderr)?.[1];
      if (start.status !== 0 && orphan) await killPid(Number(orphan));
      expect(stop.status, stop.stdout + stop.stderr).toBe(0);
    }
  }
});

// the daemon leads its own session: its group holds the workers (gunicorn's) too
async function killPid(pid: number): Promise<void> {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  }
  for (let i = 0; i < 100 && isAlive(pid); i++) await sleep(20);
}
