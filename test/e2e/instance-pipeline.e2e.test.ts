// The whole pipeline: the real CLI builds an example buildout (with the demo overlay: Debian's
// python, the Zope stand-in), then the generated bin/instance serves it with each server.
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { canImport, freePort, http, killFromPidFile, readPid, runScript, startProcess, waitForHttp } from '../fixtures/instance/harness.js';

let root: string;
let examples: string;
beforeAll(() => {
  // the examples refer to ../templates and ../demo/zope-standin: copy that layout
  root = testdir({}, { keep: true });
  for (const dir of ['examples', 'templates']) cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true });
  cpSync(join(PROJECT_ROOT, 'demo', 'zope-standin'), join(root, 'demo', 'zope-standin'), {
    recursive: true,
    filter: (p) => !/\.egg-info|__pycache__|\.install-lock/.test(p),
  });
  examples = join(root, 'examples');
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function buildout(cfg: string, port: number): void {
  const r = runCli(['-c', `examples/${cfg}`, 'buildout:extends=examples/demo.cfg', `instance:http-address=127.0.0.1:${port}`], { cwd: root, timeoutMs: 300_000 });
  expect(r.exitCode, `${r.stdout}\n${r.stderr}`).toBe(0);
}

// the training's templates hard-code port 8080 (as the real ones do): point the copy elsewhere
function usePort(template: string, port: number): void {
  const file = join(root, 'templates', template);
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^port = \d+$/m, `port = ${port}`));
}

describe('bin/buildout -c examples/<server>.cfg buildout:extends=examples/demo.cfg, then bin/instance', () => {
  it('waitress.cfg: fg serves GET, POST and /big; SIGTERM exits 0; start/status/stop work', async () => {
    const port = await freePort();
    buildout('waitress.cfg', port);
    const script = join(examples, 'bin', 'instance');
    const proc = startProcess(script, ['fg'], { cwd: examples });
    try {
      await waitForHttp(port, proc, 60_000);
      const page = await http('GET', port, '/');
      expect(page.body).toContain('buildout-ts Zope STAND-IN');
      // the recipe's zope.conf of the training layout: a ZEO client
      expect(page.body).toContain('<th>storage</th><td>zeoclient</td>');
      expect(page.body).toContain(`<th>instancehome</th><td>${join(examples, 'parts', 'instance')}</td>`);
      expect((await http('POST', port, '/', 'z'.repeat(4096))).body).toBe('received 4096 bytes\n');
      expect((await http('GET', port, '/big')).body.length).toBeGreaterThan(10_000);
      expect(readFileSync(`/proc/${proc.pid}/cmdline`, 'utf8').split('\0')).toContain('buildout_ts_wsgi.serve');
      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
    } finally {
      if (proc.exit === undefined) proc.child.kill('SIGKILL');
    }

    const pidFile = join(examples, 'var', 'instance.pid');
    try {
      const start = runScript(script, ['start'], { cwd: examples });
      expect(start.code, start.output).toBe(0);
      expect((await http('GET', port, '/health')).body).toBe('ok\n');
      expect(runScript(script, ['status'], { cwd: examples }).code).toBe(0);
      expect(runScript(script, ['stop'], { cwd: examples }).code).toBe(0);
      expect(runScript(script, ['status'], { cwd: examples }).code).toBe(3);
      expect(readPid(pidFile)).toBeUndefined();
    } finally {
      await killFromPidFile(pidFile);
    }
  });

  it('base.cfg (the recipe\'s built-in wsgi.ini: egg:buildout-ts-wsgi#main with fast-listen) serves', async () => {
    const port = await freePort();
    buildout('base.cfg', port);
    const ini = readFileSync(join(examples, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8');
    expect(ini).toMatch(/use = egg:buildout-ts-wsgi#main/);
    expect(ini).toContain(`fast-listen = 127.0.0.1:${port}`);
    const proc = startProcess(join(examples, 'bin', 'instance'), ['fg'], { cwd: examples });
    try {
      await waitForHttp(port, proc, 60_000);
      expect(proc.output()).toContain(`fast-listen: bound 127.0.0.1:${port} before loading the application`);
      expect((await http('POST', port, '/', 'abc')).body).toBe('received 3 bytes\n');
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code).toBe(0);
    }
  });

  it.each([
    ['cheroot.cfg', 'cheroot.ini.in'],
    ['werkzeug.cfg', 'werkzeug.ini.in'],
    ['gunicorn.cfg', 'gunicorn.ini.in'],
  ])('%s: fg serves GET and POST', async (cfg, template) => {
    const port = await freePort();
    usePort(template, port);
    buildout(cfg, port);
    const proc = startProcess(join(examples, 'bin', 'instance'), ['fg'], { cwd: examples });
    try {
      await waitForHttp(port, proc, 60_000);
      expect((await http('GET', port, '/')).body).toContain('buildout-ts Zope STAND-IN');
      expect((await http('POST', port, '/', 'x'.repeat(1000))).body).toBe('received 1000 bytes\n');
    } finally {
      proc.child.kill('SIGTERM');
      expect((await proc.exited).code, proc.output()).toBe(0);
    }
  });

  it.skipIf(canImport('bjoern'))('bjoern.cfg where bjoern is not installed (here: not packaged for Debian): fg names what to add and exits 2', async () => {
    const port = await freePort();
    buildout('bjoern.cfg', port);
    const proc = startProcess(join(examples, 'bin', 'instance'), ['fg'], { cwd: examples });
    const exit = await proc.exited;
    expect(exit.code).toBe(2);
    expect(proc.output()).toContain("error: bjoern is not installed in this buildout's environment: add `bjoern` (and `dataflake.wsgi.bjoern`) to [instance] eggs");
  });
});
