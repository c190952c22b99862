// `buildout lock` and `buildout --frozen` through the real CLI, with real distributions
// from PyPI, uv and pip: the lock file's content, a frozen install in a fresh directory
// (online, then offline from the download cache), the refusal, before anything changes,
// of what the lock lacks (a new egg, a changed pin, a develop egg), a tampered hash, and
// re-locking (versions kept; --upgrade moves them).
import { cpSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { writeSetupPy } from '../fixtures/python/wheels.js';
import { parseLock } from '../../src/lock/lock-file.js';

const CFG = (eggs: string[], versions: Record<string, string>, extra = '') => `[buildout]
parts = py
${extra}
[py]
recipe = zc.recipe.egg
interpreter = py
eggs =
${eggs.map((e) => `    ${e}`).join('\n')}

[versions]
${Object.entries(versions)
  .map(([k, v]) => `${k} = ${v}`)
  .join('\n')}
`;

const PINS = { click: '8.1.7', waitress: '3.0.2' };

function lockOf(dir: string) {
  return parseLock(readFileSync(join(dir, 'buildout.lock'), 'utf8'), join(dir, 'buildout.lock'));
}

function versionIn(dir: string, module: string): string {
  const r = spawnSync(join(dir, 'bin', 'py'), ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(module)}))`], { encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

// a copy of the configuration and the lock only, as a CI checkout has them
function freshCopy(from: string): string {
  const to = testdir();
  for (const f of ['buildout.cfg', 'buildout.lock']) cpSync(join(from, f), join(to, f));
  return to;
}

// every hash of a package replaced by the hash of something else
function tamper(dir: string, name: string): void {
  const file = join(dir, 'buildout.lock');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(`name = "${name}"`);
  const end = text.indexOf(']', start);
  writeFileSync(file, text.slice(0, start) + text.slice(start, end).replace(/sha256:[0-9a-f]{64}/g, `sha256:${'0'.repeat(64)}`) + text.slice(end));
}

describe('buildout lock / --frozen with uv', () => {
  it('locks every distribution with its hashes and installs exactly that in a fresh directory, online and offline', () => {
    const a = testdir({ 'buildout.cfg': CFG(['click', 'waitress'], PINS) });
    const locked = runCli(['lock'], { cwd: a });
    expect(locked.exitCode, locked.stderr).toBe(0);
    expect(existsSync(join(a, '.buildout', 'venv')), 'lock installs nothing').toBe(false);
    const lock = lockOf(a);
    const venv = lock.environments.venv!;
    expect(venv.resolution).toBe('universal');
    expect(venv.requirements).toEqual(['click', 'waitress']);
    expect(venv.packages.map((p) => [p.name, p.version, p.marker])).toEqual([
      ['click', '8.1.7', undefined],
      // universal: click's Windows-only dependency is there, with its marker
      ['colorama', '0.4.6', "sys_platform == 'win32'"],
      ['waitress', '3.0.2', undefined],
    ]);
    // every file of the version: the wheel and the sdist
    for (const p of venv.packages) expect(p.hashes.length).toBeGreaterThanOrEqual(2);
    expect(locked.stderr).toContain('+ waitress 3.0.2');

    const again = runCli(['lock'], { cwd: a });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.stderr).toContain('buildout.lock is up to date');

    const b = freshCopy(a);
    const online = runCli(['--frozen'], { cwd: b });
    expect(online.exitCode, online.stderr).toBe(0);
    expect(online.stderr).toContain('Installing the 3 distributions of');
    expect(versionIn(b, 'click')).toBe('8.1.7');
    expect(versionIn(b, 'waitress')).toBe('3.0.2');

    const c = freshCopy(a);
    const offline = runCli(['-o', '--frozen'], { cwd: c });
    expect(offline.exitCode, offline.stderr).toBe(0);
    expect(versionIn(c, 'click')).toBe('8.1.7');
  });

  it('refuses, before changing anything, a new egg, a changed pin and a develop egg the lock lacks; buildout lock takes them in', () => {
    const dir = testdir({ 'buildout.cfg': CFG(['click', 'waitress'], PINS) });
    expect(runCli(['lock'], { cwd: dir }).exitCode).toBe(0);
    const first = runCli(['--frozen'], { cwd: dir });
    expect(first.exitCode, first.stderr).toBe(0);
    const installed = readFileSync(join(dir, '.installed.cfg'), 'utf8');
    const script = statSync(join(dir, 'bin', 'py')).mtimeMs;

    // a new egg alone changes no [buildout] option, only the part
    writeFileSync(join(dir, 'buildout.cfg'), CFG(['click', 'waitress', 'six'], PINS));
    const newEgg = runCli(['--frozen'], { cwd: dir });
    expect(newEgg.exitCode).toBe(1);
    expect(newEgg.stderr).toContain('the egg six is not in the lock (a new requirement)');
    expect(readFileSync(join(dir, '.installed.cfg'), 'utf8')).toBe(installed);
    expect(statSync(join(dir, 'bin', 'py')).mtimeMs).toBe(script);

    writeSetupPy(join(dir, 'src', 'mypkg'), { name: 'mypkg', version: '1.0', module: 'mypkg', code: 'VALUE = 42\n' });
    writeFileSync(join(dir, 'buildout.cfg'), CFG(['click', 'waitress', 'six', 'mypkg'], { ...PINS, waitress: '3.0.1' }, 'develop = src/mypkg\n'));
    const refused = runCli(['--frozen'], { cwd: dir });
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain('does not have');
    expect(refused.stderr).toContain('the egg six is not in the lock');
    expect(refused.stderr).toContain('the pin waitress = 3.0.1 in [versions]: the lock has waitress 3.0.2');
    expect(refused.stderr).toContain('the develop egg src/mypkg is not in the lock');
    expect(refused.stderr).not.toMatch(/^\s+at /m);
    // nothing changed: the part, its script and the environment are as they were
    expect(readFileSync(join(dir, '.installed.cfg'), 'utf8')).toBe(installed);
    expect(statSync(join(dir, 'bin', 'py')).mtimeMs).toBe(script);
    expect(versionIn(dir, 'waitress')).toBe('3.0.2');

    const check = runCli(['lock', '--check'], { cwd: dir });
    expect(check.exitCode).toBe(1);
    expect(check.stderr).toContain('the egg six is not in the lock');

    const relocked = runCli(['lock'], { cwd: dir });
    expect(relocked.exitCode, relocked.stderr).toBe(0);
    expect(relocked.stderr).toContain('+ six');
    expect(relocked.stderr).toContain('~ waitress 3.0.2 -> 3.0.1');
    const lock = lockOf(dir).environments.venv!;
    expect(lock.develop).toEqual(['src/mypkg']);
    // develop eggs are listed, never locked by hash
    expect(lock.packages.map((p) => p.name)).not.toContain('mypkg');
    expect(runCli(['lock', '--check'], { cwd: dir }).exitCode).toBe(0);

    const frozen = runCli(['--frozen'], { cwd: dir });
    expect(frozen.exitCode, frozen.stderr).toBe(0);
    expect(versionIn(dir, 'waitress')).toBe('3.0.1');
    const r = spawnSync(join(dir, 'bin', 'py'), ['-c', 'import mypkg, six; print(mypkg.VALUE)'], { encoding: 'utf8' });
    expect(r.stdout.trim(), r.stderr).toBe('42');
  });

  it('a tampered hash is a clear error, and nothing is installed', () => {
    const a = testdir({ 'buildout.cfg': CFG(['click', 'waitress'], PINS) });
    expect(runCli(['lock'], { cwd: a }).exitCode).toBe(0);
    const b = freshCopy(a);
    tamper(b, 'waitress');
    const r = runCli(['--frozen'], { cwd: b });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/The files downloaded for waitress==3\.0\.2 \(sha256:[0-9a-f]{64}\) match none of the hashes the lock file .*buildout\.lock records/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(join(b, 'bin', 'py'))).toBe(false);
    expect(existsSync(join(b, '.installed.cfg'))).toBe(false);
  });

  it('keeps the locked versions when locking again; --upgrade resolves afresh', () => {
    const dir = testdir({ 'buildout.cfg': CFG(['click'], { click: '8.1.6' }) });
    expect(runCli(['lock'], { cwd: dir }).exitCode).toBe(0);
    writeFileSync(join(dir, 'buildout.cfg'), CFG(['click'], {}));
    const kept = runCli(['lock'], { cwd: dir });
    expect(kept.exitCode, kept.stderr).toBe(0);
    expect(lockOf(dir).environments.venv!.packages.find((p) => p.name === 'click')?.version).toBe('8.1.6');
    const upgraded = runCli(['lock', '--upgrade'], { cwd: dir });
    expect(upgraded.exitCode, upgraded.stderr).toBe(0);
    expect(upgraded.stderr).toMatch(/~ click 8\.1\.6 -> 8\.\d+\.\d+/);
  });
});

describe('buildout lock / --frozen with pip (BUILDOUT_TS_INSTALLER=pip)', () => {
  const env = { BUILDOUT_TS_INSTALLER: 'pip' };
  it('locks this platform with every file hash the index has, installs it in a fresh directory, refuses a tampered hash', () => {
    const a = testdir({ 'buildout.cfg': CFG(['click', 'waitress'], PINS) });
    const locked = runCli(['lock'], { cwd: a, env });
    expect(locked.exitCode, locked.stderr).toBe(0);
    const venv = lockOf(a).environments.venv!;
    expect(venv.resolution).toMatch(/^cpython 3\.\d+\.\d+ \w+ \w+ only \(pip\)$/);
    expect(venv.packages.map((p) => `${p.name}==${p.version}`)).toEqual(['click==8.1.7', 'waitress==3.0.2']);
    // the file pip chose and the others of the version (the sdist), from the index
    for (const p of venv.packages) expect(p.hashes.length).toBeGreaterThanOrEqual(2);

    const b = freshCopy(a);
    const frozen = runCli(['--frozen'], { cwd: b, env });
    expect(frozen.exitCode, frozen.stderr).toBe(0);
    expect(versionIn(b, 'waitress')).toBe('3.0.2');

    const c = freshCopy(a);
    tamper(c, 'click');
    const bad = runCli(['--frozen'], { cwd: c, env });
    expect(bad.exitCode).toBe(1);
    expect(bad.stderr).toMatch(/The files downloaded for click==8\.1\.7 \(sha256:[0-9a-f]{64}\) match none of the hashes/);
  });
});

describe('--frozen without a lock file', () => {
  it('names the file it looked for and how to write it', () => {
    const dir = testdir({ 'buildout.cfg': CFG(['click'], PINS) });
    const r = runCli(['--frozen'], { cwd: dir });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`There is no lock file ${join(dir, 'buildout.lock')}`);
    expect(r.stderr).toContain('Run `buildout lock` first');
  });
});
