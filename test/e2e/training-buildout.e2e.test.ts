// The Plone WSGI training's own buildout (../shared/training-buildout: base.cfg +
// bjoern.cfg, unmodified but for its unreachable URLs) with the real Plone from PyPI:
// - the remote versions file is served by a local HTTP server at the same path
//   (/release/5.2-latest/versions.cfg) with a copy of examples/versions.cfg: the
//   training's Plone 5.2 cannot run on Python 3.11, Plone 6.2 can; the extends stays
//   a URL extends, so the download path is what runs;
// - the git source of plone.recipe.zope2instance is a git repository made here of
//   its real sdist from PyPI;
// - the add-on wsgitraining.site (an `fs` source in src/) is a small Plone add-on
//   made here, with a browser view.
// Command-line assignments (not file changes) keep the servers on loopback and free
// ports, and the ZEO socket inside the test directory. mr.developer checks out the
// sources, the add-on is a develop egg, and `bin/instance fg` serves it through
// bjoern, as a ZEO client of `bin/zeo`.
// Needs the built-in mr.developer extension wired in (fails with a message until then).
import { describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { PROJECT_ROOT, runCliAsync } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { git, gitRepo, requireMrDeveloperWired, writeFiles } from '../helpers/vcs.js';
import { freePort, http } from '../fixtures/instance/harness.js';

const TRAINING = join(PROJECT_ROOT, '..', 'shared', 'training-buildout');
const PLACEHOLDER = '<PLONE_5.2_LATEST_VERSIONS_CFG_URL>';
const GITHUB = 'https://github.com/plone/plone.recipe.zope2instance.git';

const ADDON: Record<string, string> = {
  'setup.py': [
    'from setuptools import find_namespace_packages, setup',
    '',
    'setup(',
    '    name="wsgitraining.site",',
    '    version="1.0",',
    '    package_dir={"": "src"},',
    '    packages=find_namespace_packages(where="src"),',
    '    include_package_data=True,',
    '    package_data={"wsgitraining.site": ["*.zcml"]},',
    '    install_requires=["Products.CMFPlone"],',
    '    entry_points={"z3c.autoinclude.plugin": ["target = plone"]},',
    ')',
    '',
  ].join('\n'),
  'src/wsgitraining/site/__init__.py': '',
  'src/wsgitraining/site/configure.zcml':
    '<configure xmlns="http://namespaces.zope.org/zope" xmlns:browser="http://namespaces.zope.org/browser">\n  <browser:page name="wsgitraining-info" for="*" class=".views.Info" permission="zope2.View" />\n</configure>\n',
  'src/wsgitraining/site/views.py':
    'from importlib.metadata import version\nfrom Products.Five.browser import BrowserView\n\n\nclass Info(BrowserView):\n    def __call__(self):\n        return "wsgitraining.site on Plone %s" % version("Products.CMFPlone")\n',
};

describe("the Plone training's base.cfg + bjoern.cfg", () => {
  it('mr.developer checks out its sources, the add-on is a develop egg, bin/instance fg serves it through bjoern', { timeout: 1_800_000 }, async () => {
    requireMrDeveloperWired();
    const root = testdir();
    for (const f of ['base.cfg', 'bjoern.cfg', 'templates']) cpSync(join(TRAINING, f), join(root, f), { recursive: true });

    // the versions file, at the URL's path on a local server
    const versions = readFileSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), 'utf8');
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      if (req.url === '/release/5.2-latest/versions.cfg') res.writeHead(200).end(versions);
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/release/5.2-latest/versions.cfg`;
    // the git source: a repository of the real sdist
    const repo = join(root, 'repos', 'plone.recipe.zope2instance');
    cpSync(sdist('plone.recipe.zope2instance', '9.1.0', root), repo, { recursive: true });
    gitRepo(repo, {});
    // the only change to the files: the two URLs
    writeFileSync(join(root, 'base.cfg'), readFileSync(join(root, 'base.cfg'), 'utf8').replace(PLACEHOLDER, url).replace(GITHUB, `file://${repo}`));
    writeFiles(join(root, 'src', 'wsgitraining.site'), ADDON);

    const [http_, zeo] = [await freePort(), await freePort()];
    const args = ['-c', 'bjoern.cfg', `instance:http-address=127.0.0.1:${http_}`, `zeo:zeo-address=127.0.0.1:${zeo}`, `instance:zeo-address=127.0.0.1:${zeo}`, `zeo:socket-name=${root}/var/zeo.zdsock`];
    let r;
    try {
      r = await runCliAsync(args, root);
    } finally {
      server.close();
    }
    expect(r.exitCode, r.stderr).toBe(0);
    expect(requests).toBeGreaterThan(0);
    expect(r.stderr).toContain(`mr.developer: Cloned 'plone.recipe.zope2instance' with git from 'file://${repo}'.`);
    expect(r.stderr).toContain("mr.developer: Filesystem package 'wsgitraining.site' doesn't need a checkout.");
    expect(git(join(root, 'src', 'plone.recipe.zope2instance'), 'log', '--format=%s')).toBe('initial');
    expect(readFileSync(join(root, '.mr.developer.cfg'), 'utf8')).toContain('[develop]\nplone.recipe.zope2instance = auto\nwsgitraining.site = auto\n');
    const python = join(root, '.buildout', 'venv', 'bin', 'python');
    const where = (m: string) => spawnSync(python, ['-c', `import ${m}; print(${m}.__file__)`], { encoding: 'utf8' }).stdout.trim();
    expect(where('wsgitraining.site')).toBe(join(root, 'src', 'wsgitraining.site', 'src', 'wsgitraining', 'site', '__init__.py'));
    expect(where('plone.recipe.zope2instance')).toContain(join(root, 'src', 'plone.recipe.zope2instance'));
    expect(readdirSync(join(root, 'bin')).sort()).toEqual(expect.arrayContaining(['develop', 'instance', 'zeo']));

    const zeoStart = spawnSync(join(root, 'bin', 'zeo'), ['start'], { cwd: root, encoding: 'utf8', timeout: 120_000 });
    expect(zeoStart.status, zeoStart.stdout + zeoStart.stderr).toBe(0);
    const fg = spawn(join(root, 'bin', 'instance'), ['fg'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    fg.stdout.on('data', (d: Buffer) => (output += d));
    fg.stderr.on('data', (d: Buffer) => (output += d));
    const exited = new Promise<number | null>((res) => fg.on('exit', (code) => res(code)));
    try {
      const page = await waitForPage(http_, '/@@wsgitraining-info', () => output);
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/^wsgitraining\.site on Plone 6\.2\./);
      // the server is bjoern's C extension, loaded into the process that answered
      expect(readFileSync(join(root, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8')).toContain('use = egg:dataflake.wsgi.bjoern#main');
      expect(readFileSync(`/proc/${fg.pid}/maps`, 'utf8')).toMatch(/_bjoern\.cpython/);
    } finally {
      fg.kill('SIGTERM');
      const stopped = await Promise.race([exited.then(() => true), new Promise<boolean>((res) => setTimeout(() => res(false), 15_000))]);
      // bjoern's SIGTERM handling is the launcher's (another branch): until it lands, SIGKILL ends the test's server
      if (!stopped) {
        console.warn('bin/instance fg under bjoern did not stop within 15 s of SIGTERM: killed with SIGKILL');
        fg.kill('SIGKILL');
        await exited;
      }
      spawnSync(join(root, 'bin', 'zeo'), ['stop'], { cwd: root, timeout: 60_000 });
    }
  });
});

// The sdist of a distribution from PyPI, unpacked: its directory.
function sdist(name: string, version: string, root: string): string {
  const dir = join(root, 'sdist');
  mkdirSync(dir, { recursive: true });
  const dl = spawnSync('python3', ['-m', 'pip', 'download', '--quiet', '--no-deps', '--no-binary', ':all:', '--disable-pip-version-check', '-d', dir, `${name}==${version}`], { encoding: 'utf8' });
  if (dl.status !== 0) throw new Error(`pip download ${name}==${version} failed:\n${dl.stderr}`);
  const archive = readdirSync(dir).find((f) => f.endsWith('.tar.gz'))!;
  spawnSync('tar', ['xzf', archive], { cwd: dir });
  const top = join(dir, archive.replace(/\.tar\.gz$/, ''));
  if (!existsSync(join(top, 'setup.py')) && !existsSync(join(top, 'pyproject.toml'))) throw new Error(`${archive} is not a Python project`);
  return top;
}

// Zope loads Plone for a while: poll until the page answers (or the server died).
async function waitForPage(port: number, path: string, output: () => string): Promise<{ status: number; body: string }> {
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      return await http('GET', port, path);
    } catch (e) {
      if (Date.now() > deadline) throw new Error(`no answer on 127.0.0.1:${port} within 300 s:\n${output()}`, { cause: e });
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
}
