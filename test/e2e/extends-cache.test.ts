// URL extends and extends-cache, against a local HTTP server on 127.0.0.1 (as a Plone
// buildout extends dist.plone.org's versions.cfg): what is downloaded when, the cache
// files and what an offline run reads, compared with the real zc.buildout 6.0.1 on
// the same server (requests counted); and failures that name the extends line.
import { describe, expect, it, onTestFinished } from 'vitest';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCliAsync } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { runZcBuildoutAsync, zcBuildout } from '../helpers/reference.js';

interface Server {
  url: string;
  hits: string[];
  up: boolean;
}

async function serve(files: Record<string, string>): Promise<Server> {
  const state: Server = { url: '', hits: [], up: true };
  const server = createServer((req, res) => {
    state.hits.push(req.url ?? '');
    const body = files[req.url ?? ''];
    if (!state.up) res.writeHead(503, 'Service Unavailable').end('down');
    else res.writeHead(body === undefined ? 404 : 200).end(body ?? 'not found');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  onTestFinished(() => {
    server.closeAllConnections();
    server.close();
  });
  state.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return state;
}

const REMOTE = {
  '/release/6.2/versions.cfg': '[buildout]\nextends = versions-extra.cfg\n\n[versions]\nPlone = 6.2.2\nZope = 5.13\n',
  '/release/6.2/versions-extra.cfg': '[versions]\nwaitress = 3.0.2\n',
};

const cfg = (url: string) => `[buildout]\nextends-cache = extends-cache\nextends = ${url}/release/6.2/versions.cfg\nparts =\n\n[versions]\nZope = 5.14\n`;

describe('URL extends through extends-cache', () => {
  it('downloads and caches what zc.buildout does, and reads it back offline, with -N, and when the server is down', async () => {
    const server = await serve(REMOTE);
    const roots = { ours: testdir({ 'buildout.cfg': cfg(server.url) }), zc: testdir({ 'buildout.cfg': cfg(server.url) }) };
    // zc.buildout refuses a missing extends-cache directory on a first run; we make it
    mkdirSync(join(roots.zc, 'extends-cache'));
    const run = async (which: 'ours' | 'zc', flags: string[]) => {
      server.hits.length = 0;
      const r = which === 'ours' ? await runCliAsync([...flags, 'annotate', 'versions'], roots.ours) : await runZcBuildoutAsync(zcBuildout(), roots.zc, [...flags, 'annotate', 'versions']);
      return { ok: r.exitCode === 0, hits: [...server.hits], out: r.stdout + r.stderr };
    };
    const steps: [string, string[], boolean, number][] = [
      ['first run: both files downloaded', [], true, 2],
      ['newest (the default): downloaded again', [], true, 2],
      ['-N: the cached copies only', ['-N'], true, 0],
      ['-o: the cached copies only', ['-o'], true, 0],
      ['server down: tried, then the cached copies', [], false, 2],
    ];
    for (const [what, flags, up, requests] of steps) {
      server.up = up;
      const zc = await run('zc', flags);
      const ours = await run('ours', flags);
      expect({ what, ok: ours.ok, hits: ours.hits.sort() }).toEqual({ what, ok: zc.ok, hits: zc.hits.sort() });
      expect(ours.hits, what).toHaveLength(requests);
      expect(ours.out, what).toMatch(/Plone= 6\.2\.2/);
      expect(ours.out, what).toMatch(/waitress= 3\.0\.2/);
      expect(ours.out, what).toMatch(/Zope= 5\.14/);
    }
    // the cache files are named as zc.buildout's download cache names them (the URL's md5)
    expect(readdirSync(join(roots.ours, 'extends-cache')).sort()).toEqual(readdirSync(join(roots.zc, 'extends-cache')).sort());
    expect(readdirSync(join(roots.ours, 'extends-cache'))).toHaveLength(2);
    for (const f of readdirSync(join(roots.zc, 'extends-cache'))) expect(readFileSync(join(roots.ours, 'extends-cache', f), 'utf8')).toBe(readFileSync(join(roots.zc, 'extends-cache', f), 'utf8'));
  });

  it('offline without a cached copy: an error naming the extends line; a missing file inside a remote one names the URL line', async () => {
    const server = await serve({ ...REMOTE, '/release/6.2/versions.cfg': '[buildout]\nextends = nosuch.cfg\n' });
    const root = testdir({ 'buildout.cfg': cfg(server.url) });
    const offline = await runCliAsync(['-o', 'annotate'], root);
    expect(offline.exitCode).toBe(1);
    expect(offline.stderr).toContain(`Error: Couldn't download '${server.url}/release/6.2/versions.cfg' in offline mode (named in ${root}/buildout.cfg:3).`);
    expect(existsSync(join(root, 'extends-cache'))).toBe(false);
    const nested = await runCliAsync(['annotate'], root);
    expect(nested.exitCode).toBe(1);
    expect(nested.stderr).toContain(`Error: Couldn't download ${server.url}/release/6.2/nosuch.cfg (named in ${server.url}/release/6.2/versions.cfg:2): the server answered HTTP 404 Not Found`);
  });
});
