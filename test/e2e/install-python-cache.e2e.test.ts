// The shared download cache and the installer choice, through the real CLI: a second
// buildout of the same pins installs with -o from the cache the first one filled
// (download-cache from the user's default.cfg); uv is fetched into our cache when it
// is not on PATH, and pip takes over when uv cannot be had (offline, nothing cached).
import { describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel, writeSetupPy } from '../fixtures/python/wheels.js';
import { UV_VERSION } from '../../src/python/uv-program.js';

const CFG = ['[buildout]', 'develop = src/plain', 'parts = app', '', '[app]', 'recipe = zc.recipe.egg', 'eggs =', '    demo.plain', '    waitress', '    zope.interface', '', '[versions]', 'waitress = 3.0.2', 'zope.interface = 7.2', ''].join('\n');

// PATH without any uv, so that the test decides where uv comes from
const PATH_WITHOUT_UV = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((d) => !existsSync(join(d, 'uv')))
  .join(delimiter);

function project(root: string, dir: string): void {
  writeFileSync(join(root, dir, 'buildout.cfg'), CFG);
  writeSetupPy(join(root, dir, 'src/plain'), { name: 'demo.plain', version: '0.1', module: 'demo_plain', scripts: { 'plain-hello': 'demo_plain:main' }, code: 'def main():\n    print("plain hello")\n' });
}

describe('the shared download cache (real uv, PyPI)', () => {
  it('a second buildout of the same pins installs with -o from the cache named by download-cache in ~/.buildout/default.cfg', () => {
    const root = testdir({ 'a/.keep': '', 'b/.keep': '' });
    writeFileSync(join(root, 'default.cfg'), `[buildout]\ndownload-cache = ${join(root, 'downloads')}\n`);
    const env = { BUILDOUT_HOME: root, PATH: PATH_WITHOUT_UV };
    project(root, 'a');
    project(root, 'b');
    const first = runCli([], { cwd: join(root, 'a'), env });
    expect(first.stderr).toContain('app: installed');
    expect(first.exitCode).toBe(0);
    expect(existsSync(join(root, 'downloads/uv-cache'))).toBe(true);

    const second = runCli(['-o', '-v'], { cwd: join(root, 'b'), env });
    expect(second.stderr).toContain('app: installed');
    expect(second.exitCode).toBe(0);
    expect(second.stderr).toMatch(/Installer: uv /);
    expect(spawnSync(join(root, 'b/bin/plain-hello'), { encoding: 'utf8' }).stdout).toBe('plain hello\n');
    const py = join(root, 'b/.buildout/venv/bin/python');
    expect(spawnSync(py, ['-c', 'import waitress, zope.interface, importlib.metadata as m; print(m.version("zope.interface"))'], { encoding: 'utf8' }).stdout).toBe('7.2\n');
  });

  it('a second buildout of the same pins, online, reuses the wheel the first built from an sdist (bjoern is not compiled again)', () => {
    const root = testdir({ 'a/.keep': '', 'b/.keep': '' });
    writeFileSync(join(root, 'default.cfg'), `[buildout]\ndownload-cache = ${join(root, 'downloads')}\n`);
    const cfg = ['[buildout]', 'parts = app', '', '[app]', 'recipe = zc.recipe.egg', 'eggs = bjoern', '', '[versions]', 'bjoern = 3.2.2', ''].join('\n');
    for (const d of ['a', 'b']) writeFileSync(join(root, d, 'buildout.cfg'), cfg);
    const env = { BUILDOUT_HOME: root };
    // uv keeps the sdist's builds under one folder per revision of the sdist it fetched
    const revisions = () => {
      const cache = join(root, 'downloads/uv-cache');
      return readdirSync(cache).filter((d) => d.startsWith('sdists-')).flatMap((d) => {
        const dir = join(cache, d, 'pypi/bjoern/3.2.2');
        return existsSync(dir) ? readdirSync(dir).filter((r) => !r.startsWith('.')) : [];
      });
    };
    const first = runCli([], { cwd: join(root, 'a'), env });
    expect(first.exitCode, first.stderr).toBe(0);
    const built = revisions();
    expect(built.length).toBeGreaterThan(0);
    const second = runCli([], { cwd: join(root, 'b'), env });
    expect(second.exitCode, second.stderr).toBe(0);
    expect(revisions()).toEqual(built);
    expect(spawnSync(join(root, 'b/.buildout/venv/bin/python'), ['-c', 'import bjoern']).status).toBe(0);
  });

  it('uv: pip when it cannot be had (offline, nothing cached), fetched into our cache online, then reused from there', () => {
    const root = testdir({ 'wheels/.keep': '' });
    makeWheel(join(root, 'wheels'), { name: 'buildout-ts-test-solo', version: '1.0', module: 'bt_solo', code: 'V = 1\n' });
    const cfg = ['[buildout]', `find-links = ${join(root, 'wheels')}`, 'parts = app', '', '[app]', 'recipe = zc.recipe.egg', 'eggs = buildout-ts-test-solo', ''].join('\n');
    const cache = join(root, 'cache');
    const env = { PATH: PATH_WITHOUT_UV, BUILDOUT_TS_CACHE_DIR: cache };
    for (const d of ['offline', 'online', 'again']) {
      mkdirSync(join(root, d));
      writeFileSync(join(root, d, 'buildout.cfg'), cfg);
    }

    const offline = runCli(['-o', '-v'], { cwd: join(root, 'offline'), env });
    expect(offline.exitCode).toBe(0);
    expect(offline.stderr).toMatch(/Installer: pip .*; uv could not be had: offline, and uv-[\d.]+-py3-none-\S+\.whl is not in find-links/);

    const online = runCli(['-v'], { cwd: join(root, 'online'), env });
    expect(online.exitCode).toBe(0);
    expect(online.stderr).toContain(`Installer: uv ${UV_VERSION} (${join(cache, `uv-${UV_VERSION}/uv`)}, just downloaded)`);

    const again = runCli(['-o', '-v'], { cwd: join(root, 'again'), env });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain(`Installer: uv ${UV_VERSION} (${join(cache, `uv-${UV_VERSION}/uv`)}, from our cache)`);
    for (const d of ['offline', 'online', 'again']) expect(spawnSync(join(root, d, '.buildout/venv/bin/python'), ['-c', 'import bt_solo']).status).toBe(0);
  });
});
