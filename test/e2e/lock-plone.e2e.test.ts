// A real Plone buildout (a copy of examples/bjoern.cfg: Plone 6.2, ZEO, bjoern, a develop
// egg) locked, then installed --frozen offline from the download cache into a fresh
// directory: every locked distribution at its locked version. A tampered hash and an egg
// the lock lacks are clear errors that change nothing.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { parseLock, type LockFile } from '../../src/lock/lock-file.js';
import { evaluateMarker, markerEnvironment, parseMarker } from '../../src/config/conditions/marker.js';
import { getPythonFacts } from '../../src/python/facts.js';

const CONFIG = ['-c', 'examples/bjoern.cfg'];
let a: string;
let lock: LockFile;

// the examples, their templates and the add-on; with `lock`, the lock file too
function copyExamples(withLock: boolean): string {
  const dir = testdir();
  for (const f of ['base.cfg', 'bjoern.cfg', 'versions.cfg', 'src/buildoutts.site', ...(withLock ? ['bjoern.lock'] : [])]) {
    cpSync(join(withLock ? a : PROJECT_ROOT, 'examples', f), join(dir, 'examples', f), { recursive: true, filter: (s) => !/(__pycache__|\.egg-info)/.test(s) });
  }
  cpSync(join(PROJECT_ROOT, 'templates'), join(dir, 'templates'), { recursive: true });
  return dir;
}

beforeAll(() => {
  a = copyExamples(false);
  // online: the download cache gets every file the frozen installs below need
  const built = runCli(CONFIG, { cwd: a, timeoutMs: 900_000 });
  expect(built.exitCode, built.stderr).toBe(0);
  const locked = runCli([...CONFIG, 'lock'], { cwd: a, timeoutMs: 300_000 });
  expect(locked.exitCode, locked.stderr).toBe(0);
  lock = parseLock(readFileSync(join(a, 'examples', 'bjoern.lock'), 'utf8'), 'bjoern.lock');
}, 1_200_000);

describe('lock a Plone buildout, install it --frozen', () => {
  it('the lock holds Plone, ZEO, bjoern and their dependencies for every platform; the add-on is listed, not locked', () => {
    const venv = lock.environments.venv!;
    expect(venv.resolution).toBe('universal');
    expect(venv.develop).toEqual(['src/buildoutts.site']);
    const versions = new Map(venv.packages.map((p) => [p.name, p.version]));
    expect(versions.get('products-cmfplone')).toBe('6.2.2');
    expect(versions.get('zeo')).toBe('6.2');
    expect(versions.get('bjoern')).toBe('3.2.2');
    expect(versions.get('setuptools')).toBe('84.0.0');
    expect(versions.has('buildoutts-site')).toBe(false);
    // a Windows-only dependency of the tree, with its marker
    expect(venv.packages.find((p) => p.name === 'pywin32')?.marker).toBe("sys_platform == 'win32'");
    expect(venv.packages.length).toBeGreaterThan(150);
    // the versions of the installed environment are the ones locked
    expect(installedVersions(a).get('products-cmfplone')).toBe('6.2.2');
  });

  it('offline from the download cache, a fresh directory gets exactly the locked distributions', async () => {
    const b = copyExamples(true);
    const r = runCli(['-o', '--frozen', ...CONFIG], { cwd: b, timeoutMs: 600_000 });
    expect(r.exitCode, r.stderr).toBe(0);
    const installed = installedVersions(b);
    // the packages whose marker holds for the environment's interpreter
    const env = markerEnvironment(await getPythonFacts(join(b, 'examples', '.buildout', 'venv', 'bin', 'python')));
    const expected = lock.environments.venv!.packages.filter((p) => !p.marker || evaluateMarker(parseMarker(p.marker)!, env));
    expect(expected.length).toBeLessThan(lock.environments.venv!.packages.length);
    for (const p of expected) expect(`${p.name} ${installed.get(p.name)}`).toBe(`${p.name} ${p.version}`);
    // and the add-on, from its folder
    expect(installed.get('buildoutts-site')).toBe('1.0');
    expect(readFileSync(join(b, 'examples', 'bin', 'instance'), 'utf8')).toContain('buildout_ts_wsgi');
  }, 600_000);

  it('a tampered hash (offline, from the cache) is a clear error naming the distribution', () => {
    const c = copyExamples(true);
    const file = join(c, 'examples', 'bjoern.lock');
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('name = "zope-interface"');
    const end = text.indexOf(']', start);
    writeFileSync(file, text.slice(0, start) + text.slice(start, end).replace(/sha256:[0-9a-f]{64}/g, `sha256:${'f'.repeat(64)}`) + text.slice(end));
    const r = runCli(['-o', '--frozen', ...CONFIG], { cwd: c, timeoutMs: 600_000 });
    expect(r.exitCode).toBe(1);
    // the file is in the cache (the install above put it there): its hash is compared
    expect(r.stderr).toMatch(/The files downloaded for zope-interface==[\d.]+ \(sha256:[0-9a-f]{64}\) match none of the hashes the lock file .*bjoern\.lock records\. Nothing was installed\./);
    expect(r.stderr).toContain('Either the lock file was changed by hand');
    expect(r.stderr).not.toMatch(/^\s+at /m);
  }, 600_000);

  it('an egg the lock lacks is refused before anything changes', () => {
    expect(lock.environments.venv!.packages.some((p) => p.name === 'humanize')).toBe(false);
    const installed = readFileSync(join(a, 'examples', '.installed.cfg'), 'utf8');
    const r = runCli(['--frozen', ...CONFIG, 'instance:eggs+=humanize'], { cwd: a, timeoutMs: 300_000 });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('the egg humanize is not in the lock (a new requirement)');
    expect(r.stderr).toContain('Run `buildout lock`');
    expect(readFileSync(join(a, 'examples', '.installed.cfg'), 'utf8')).toBe(installed);
  });
});

function installedVersions(dir: string): Map<string, string> {
  const py = join(dir, 'examples', '.buildout', 'venv', 'bin', 'python');
  const r = spawnSync(py, ['-c', 'import importlib.metadata as m, json, re; print(json.dumps({re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version for d in m.distributions()}))'], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return new Map(Object.entries(JSON.parse(r.stdout) as Record<string, string>));
}
