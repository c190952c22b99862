// The WSGI training's exercise with a real Plone 6.2 (PyPI, examples/versions.cfg) in one buildout
// directory: `buildout -c examples/<server>.cfg` for each server in turn, `bin/zeo start`,
// `bin/instance run create-site.py` creates the Plone site, and `bin/instance fg` serves it
// through ZEO with each server (a document written through each one is read through the next,
// after the restart); SIGTERM stops each within seconds after answering the request
// in flight. The stop times are printed at the end.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { freePort, http, isAlive, killFromPidFile, readPid, runScript, sleep, startProcess, waitForHttp } from '../fixtures/instance/harness.js';

const TESTVIEWS = join(PROJECT_ROOT, 'test', 'fixtures', 'instance', 'testviews');
const CONFIGS = ['bjoern.cfg', 'cheroot.cfg', 'werkzeug.cfg', 'waitress.cfg', 'gunicorn.cfg', 'granian.cfg', 'base.cfg'] as const;

let root: string;
let examples: string;
let port: number;
let zeoPort: number;
const stopTimes: string[] = [];
const ADMIN = { Authorization: `Basic ${Buffer.from('admin:admin').toString('base64')}` };

beforeAll(async () => {
  root = testdir({}, { keep: true });
  port = await freePort();
  zeoPort = await freePort();
  // the examples refer to ../templates; the training's templates hard-code port 8080
  for (const dir of ['examples', 'templates']) {
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true, filter: (p) => !/\/(bin|parts|var|develop-eggs|\.buildout|\.installed\.cfg)$|egg-info|__pycache__/.test(p) });
  }
  for (const t of ['cheroot.ini.in', 'werkzeug.ini.in', 'gunicorn.ini.in']) {
    const file = join(root, 'templates', t);
    writeFileSync(file, readFileSync(file, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
  }
  examples = join(root, 'examples');
  buildout('bjoern.cfg');
  expect(runScript(join(examples, 'bin', 'zeo'), ['start'], { cwd: examples }).code).toBe(0);
  // create-site.py from where the user stands (the repository root), as the examples' README says
  const site = runScript(join(examples, 'bin', 'instance'), ['run', 'examples/create-site.py'], { cwd: root, timeoutMs: 300_000 });
  expect(site.code, site.output).toBe(0);
  expect(site.stdout).toContain("Created the Plone site 'Plone'");
}, 900_000);

afterAll(async () => {
  if (!examples) return;
  await killFromPidFile(join(examples, 'var', 'instance.pid'));
  runScript(join(examples, 'bin', 'zeo'), ['stop'], { cwd: examples });
  await killFromPidFile(join(examples, 'var', 'zeo.pid'));
  rmSync(root, { recursive: true, force: true });
  console.log(`stop times with Plone 6.2 + ZEO (SIGTERM with a 2 s request in flight, sent 0.7 s in):\n  ${stopTimes.join('\n  ')}`);
});

function buildout(cfg: string): void {
  const args = ['-c', `examples/${cfg}`, `instance:http-address=127.0.0.1:${port}`, `zeo:zeo-address=127.0.0.1:${zeoPort}`,
    `buildout:develop+=${TESTVIEWS}`, 'instance:eggs+=buildoutts.testviews', 'instance:zcml=buildoutts_testviews'];
  const r = runCli(args, { cwd: root, timeoutMs: 900_000 });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
}

describe.each(CONFIGS)('buildout -c examples/%s, then bin/instance fg serves the Plone site', (cfg) => {
  it('anonymous and authenticated pages, the add-on; SIGTERM answers the request in flight and stops within seconds', async () => {
    if (cfg !== 'bjoern.cfg') buildout(cfg);
    const use = /^use = (.*)$/m.exec(readFileSync(join(examples, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8'))?.[1];
    const proc = startProcess(join(examples, 'bin', 'instance'), ['fg'], { cwd: examples });
    try {
      await waitForHttp(port, proc, 120_000, '/Plone');
      const home = await http('GET', port, '/Plone');
      expect(home.status).toBe(200);
      expect(home.body).toContain('buildout-ts example site');
      const info = JSON.parse((await http('GET', port, '/Plone/@@buildoutts-info')).body);
      expect(info).toMatchObject({ addon: 'buildoutts.site', context: '/Plone' });
      expect((await http('GET', port, '/Plone/@@overview-controlpanel')).status).not.toBe(200);
      const panel = await http('GET', port, '/Plone/@@overview-controlpanel', undefined, 30_000, ADMIN);
      expect(panel.status).toBe(200);

      // a write through this server (plone.restapi), and the previous server's write survived its restart
      const doc = JSON.stringify({ '@type': 'Document', id: `written-by-${cfg.replace('.cfg', '')}`, title: `Written through ${cfg}` });
      const created = await http('POST', port, '/Plone', doc, 30_000, { ...ADMIN, Accept: 'application/json', 'Content-Type': 'application/json' });
      expect(created.status, created.body).toBe(201);
      const previous = CONFIGS[CONFIGS.indexOf(cfg) - 1];
      if (previous) {
        const read = await http('GET', port, `/Plone/written-by-${previous.replace('.cfg', '')}`, undefined, 30_000, ADMIN);
        expect(read.status).toBe(200);
        expect(read.body).toContain(`Written through ${previous}`);
      }

      const inFlight = http('GET', port, '/Plone/@@slow?seconds=2', undefined, 30_000).then((a) => a.body, (e: Error) => `error: ${e.message}`);
      await sleep(700);
      const t0 = performance.now();
      proc.child.kill('SIGTERM');
      const exit = await proc.exited;
      const took = (performance.now() - t0 - 50) / 1000;
      expect(exit, proc.output()).toEqual({ code: 0, signal: null });
      expect(await inFlight).toMatch(/^slept 2\.0 s in process \d+/);
      expect(took).toBeLessThan(5);
      stopTimes.push(`${cfg} (${use}): ${took.toFixed(2)} s`);
    } finally {
      if (proc.exit === undefined) proc.child.kill('SIGKILL');
    }
  }, 600_000);
});

describe('bin/instance start, status, stop with Plone', () => {
  it('bjoern: status shows the C extension loaded in the running Plone; stop', async () => {
    buildout('bjoern.cfg');
    const script = join(examples, 'bin', 'instance');
    const pidFile = join(examples, 'var', 'instance.pid');
    try {
      const start = runScript(script, ['start'], { cwd: examples, timeoutMs: 180_000 });
      expect(start.code, start.output).toBe(0);
      const pid = readPid(pidFile)!;
      const status = runScript(script, ['status'], { cwd: examples });
      expect(status.stdout).toMatch(new RegExp(`^program running; pid=${pid}\\nserver: bjoern [\\d.]+ \\(use = egg:dataflake\\.wsgi\\.bjoern#main\\)\\nbjoern's C extension is loaded in process ${pid}: \\S+\\.so\\n$`));
      const stop = runScript(script, ['stop'], { cwd: examples });
      expect(stop.code).toBe(0);
      expect(isAlive(pid)).toBe(false);
    } finally {
      await killFromPidFile(pidFile);
    }
  }, 600_000);
});
