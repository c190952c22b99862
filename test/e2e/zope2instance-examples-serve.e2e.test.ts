// Each example buildout (with the demo overlay) really serves: bin/instance
// start, a GET and a POST through the example's WSGI server and pipeline to
// the Zope stand-in on 127.0.0.1, then stop.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { canImport, freePort, http, killFromPidFile, runScript } from '../fixtures/instance/harness.js';

let root: string;
beforeAll(() => {
  root = testdir();
  for (const dir of ['examples', 'templates', 'demo/zope-standin']) {
    cpSync(join(PROJECT_ROOT, dir), join(root, dir), { recursive: true, filter: (src) => !/(__pycache__|\.egg-info|\/parts$|\/bin$|\/var$|\.buildout$|\.installed\.cfg$)/.test(src) });
  }
});
afterEach(async () => {
  await killFromPidFile(join(root, 'examples', 'var', 'instance.pid'));
});

// templates with a fixed host/port get the test's port; the others take http-address
const FIXED_PORT = new Set(['cheroot', 'werkzeug', 'gunicorn']);
const hasBjoern = canImport('bjoern');

describe('examples serve through their WSGI server', () => {
  it.each(['base', 'waitress', 'cheroot', 'werkzeug', 'gunicorn'])('%s', async (example) => {
    await serve(example);
  });

  it.skipIf(!hasBjoern)('bjoern (skipped: Debian has no bjoern package and `import bjoern` fails here)', async () => {
    await serve('bjoern');
  });
});

async function serve(example: string) {
  const port = await freePort();
  const args = ['-c', `examples/${example}.cfg`, 'buildout:extends=examples/demo.cfg'];
  if (FIXED_PORT.has(example)) {
    const tpl = join(root, 'templates', `${example}.ini.in`);
    writeFileSync(tpl, readFileSync(join(PROJECT_ROOT, 'templates', `${example}.ini.in`), 'utf8').replace('port = 8080', `port = ${port}`));
  } else args.push(`instance:http-address=127.0.0.1:${port}`);
  const r = runCli(args, { cwd: root });
  expect(r.exitCode, r.stderr).toBe(0);
  const script = join(root, 'examples', 'bin', 'instance');
  const start = runScript(script, ['start'], { cwd: root });
  expect(start.code, start.output).toBe(0);
  try {
    const page = await http('GET', port, '/');
    expect(page.status).toBe(200);
    expect(page.body).toContain('buildout-ts Zope STAND-IN');
    // the stand-in reports the zope.conf it was given: the example's ZEO client
    expect(page.body).toContain(join(root, 'examples', 'parts', 'instance'));
    const post = await http('POST', port, '/folder', 'x'.repeat(1000));
    expect([post.status, post.body.trim()]).toEqual([200, 'received 1000 bytes']);
  } finally {
    const stop = runScript(script, ['stop'], { cwd: root });
    expect(stop.code, stop.output).toBe(0);
  }
}
