// The buildout's Python environment for real: a venv from the interpreter on PATH,
// distributions from PyPI through uv (the shared download cache keeps later runs
// fast), editable installs of local projects built with the back-end they declare,
// console scripts and the interpreter script executed. Environments are shared per describe.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, type Logger } from '../log.js';
import { isBuildoutError } from '../errors.js';
import { ensurePythonEnv } from './environment.js';
import { pythonSpawnCount } from './spawn.js';
import { writeConsoleScripts } from './scripts.js';
import type { PythonEnv, PythonEnvRequest } from './types.js';
import { makeWheel, writePackage, writeSetupPy } from '../../test/fixtures/python/wheels.js';

const WAITRESS = '3.0.2';

function tempRoot(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-pyenv-')));
}

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 10, write: (l) => lines.push(l) }), lines };
}

function request(root: string, over: Partial<PythonEnvRequest> & { b?: Record<string, string> } = {}): PythonEnvRequest {
  const { b, ...rest } = over;
  return {
    buildout: { directory: root, ...b },
    versions: {},
    requirements: [],
    develop: [],
    log: capture().log,
    ...rest,
  };
}

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('expected a BuildoutError');
}

const ALPHA = `import sys, os
def main():
    print("alpha says", " ".join(sys.argv[1:]))
def show(*args):
    print("args:", repr(args), "flag:", os.environ.get("ALPHA_FLAG"))
    return 3
`;

describe('ensurePythonEnv + writeConsoleScripts (real venv, PyPI through uv)', () => {
  let root: string;
  let env: PythonEnv;
  let req: PythonEnvRequest;
  const alpha = () => join(root, 'src/alpha');

  beforeAll(async () => {
    root = tempRoot();
    writePackage(alpha(), { name: 'demo.alpha', version: '1.0', module: 'demo_alpha', scripts: { alpha: 'demo_alpha:main', 'alpha-show': 'demo_alpha:show' }, dependencies: ['demo-beta'], extras: { serve: ['waitress'] }, code: ALPHA });
    writePackage(join(root, 'src/beta'), { name: 'demo-beta', version: '2.0', module: 'demo_beta', scripts: { beta: 'demo_beta:main' }, code: 'def main():\n    print("beta here")\n' });
    mkdirSync(join(root, 'extra'));
    writeFileSync(join(root, 'extra/extra_mod.py'), 'import sys\nVALUE = "from extra"\nif __name__ == "__main__":\n    print("main", sys.argv)\n');
    req = request(root, { requirements: ['demo.alpha[serve]', 'waitress'], versions: { waitress: WAITRESS }, develop: [alpha(), join(root, 'src/beta')] });
    env = await ensurePythonEnv(req);
  });
  afterAll(() => {
    if (root && !process.env.KEEP_TESTDIR) rmSync(root, { recursive: true, force: true });
  });

  it('creates <directory>/.buildout/venv with uv: the develop eggs editable, the pinned waitress from PyPI', () => {
    expect(env.prefix).toBe(join(root, '.buildout/venv'));
    const out = execFileSync(env.python, ['-c', 'import sys, demo_alpha, demo_beta, waitress, importlib.metadata as m; print(sys.prefix); print(demo_alpha.__file__); print(waitress.__file__); print(m.version("waitress"))'], { encoding: 'utf8' }).split('\n');
    expect(out[0]).toBe(env.prefix);
    expect(out[1]).toBe(join(alpha(), 'demo_alpha/__init__.py'));
    expect(out[2]).toBe(join(env.sitePackages, 'waitress/__init__.py'));
    expect(out[3]).toBe(WAITRESS);
    expect(env.facts.versionInfo[0]).toBe(3);
    expect(env.sitePackages).toBe(join(env.prefix, `lib/python${env.facts.versionInfo[0]}.${env.facts.versionInfo[1]}/site-packages`));
    expect(readFileSync(join(env.prefix, 'pyvenv.cfg'), 'utf8')).toMatch(/^uv = /m); // made by uv, not python -m venv
    expect(readFileSync(join(root, '.buildout/installer/constraints.txt'), 'utf8')).toBe(`waitress==${WAITRESS}\n`);
  });

  it('an unchanged second call starts no process and leaves the state file alone', async () => {
    const state = join(env.prefix, 'buildout-ts-state.json');
    const before = statSync(state).mtimeMs;
    const spawned = pythonSpawnCount();
    const again = await ensurePythonEnv({ ...req, requirements: [...req.requirements].reverse() });
    expect(pythonSpawnCount()).toBe(spawned);
    expect(statSync(state).mtimeMs).toBe(before);
    expect(again).toEqual(env);
  });

  it('writes console scripts of the named eggs only, then of their dependencies with dependentScripts', async () => {
    const bin = join(root, 'bin1');
    const made = await writeConsoleScripts(env, { binDir: bin, eggs: ['demo.alpha'] });
    expect(made.sort()).toEqual([join(bin, 'alpha'), join(bin, 'alpha-show')]);
    expect(execFileSync(join(bin, 'alpha'), ['x', 'y'], { encoding: 'utf8' })).toBe('alpha says x y\n');
    expect(statSync(join(bin, 'alpha')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(bin, 'alpha'), 'utf8').split('\n')[0]).toBe(`#!${env.python}`);

    const spawned = pythonSpawnCount();
    const all = await writeConsoleScripts(env, { binDir: bin, eggs: ['demo.alpha'], dependentScripts: true });
    expect(pythonSpawnCount()).toBe(spawned); // entry points are cached per environment state
    expect(all).toContain(join(bin, 'beta'));
    expect(execFileSync(join(bin, 'beta'), { encoding: 'utf8' })).toBe('beta here\n');
    expect(all).not.toContain(join(bin, 'waitress-serve'));

    // an extra brings its own dependencies (and their scripts) into the closure
    const withExtra = await writeConsoleScripts(env, { binDir: bin, eggs: ['demo.alpha[serve]'], dependentScripts: true });
    expect(withExtra).toContain(join(bin, 'waitress-serve'));
    expect(execFileSync(join(bin, 'waitress-serve'), ['--help'], { encoding: 'utf8' })).toContain('waitress-serve');
  });

  it('honours scripts renames, an empty scripts filter, entry-points, arguments, initialization and relative extra-paths', async () => {
    const bin = join(root, 'bin2');
    const renamed = await writeConsoleScripts(env, { binDir: bin, eggs: ['demo.alpha'], scripts: { 'alpha-show': 'show-it' }, arguments: "'one', 2", initialization: 'import os\nos.environ["ALPHA_FLAG"] = "set"', extraPaths: [join(root, 'extra')], relativePaths: root, entryPoints: ['extra-ep=demo_alpha:show'] });
    expect(renamed).toEqual([join(bin, 'show-it')]);
    const r = spawnSync(join(bin, 'show-it'), { encoding: 'utf8' });
    expect(r.stdout).toBe("args: ('one', 2) flag: set\n");
    expect(r.status).toBe(3); // the entry point's return value is the exit status, as sys.exit does
    const text = readFileSync(join(bin, 'show-it'), 'utf8');
    expect(text).toContain("join(base, 'extra')");
    expect(text.split('\n').slice(1).join('\n')).not.toContain(root); // only the shebang is absolute, as in zc.buildout

    const none = await writeConsoleScripts(env, { binDir: join(root, 'bin3'), eggs: ['demo.alpha'], scripts: {} });
    expect(none).toEqual([]);

    const ep = await writeConsoleScripts(env, { binDir: join(root, 'bin4'), eggs: [], entryPoints: ['extra-ep=demo_alpha:show'], extraPaths: [join(root, 'extra')] });
    expect(ep).toEqual([join(root, 'bin4/extra-ep')]);
    const direct = spawnSync(ep[0]!, { encoding: 'utf8' });
    expect(direct.stdout).toBe('args: () flag: None\n');
    expect(direct.status).toBe(3);
  });

  it('writes an interpreter that supports -c, -m, a script path and stdin', async () => {
    const bin = join(root, 'bin5');
    const [py] = await writeConsoleScripts(env, { binDir: bin, eggs: ['demo.alpha'], scripts: {}, interpreter: 'py', extraPaths: [join(root, 'extra')] });
    expect(py).toBe(join(bin, 'py'));
    expect(execFileSync(py!, ['-c', 'import sys, extra_mod, demo_beta; print(extra_mod.VALUE, sys.argv)', 'a', 'b'], { encoding: 'utf8' })).toBe("from extra ['-c', 'a', 'b']\n");
    expect(execFileSync(py!, ['-m', 'extra_mod', 'q'], { encoding: 'utf8' })).toBe(`main ['${join(root, 'extra/extra_mod.py')}', 'q']\n`);
    writeFileSync(join(root, 'script.py'), 'import sys, extra_mod\nprint(__name__, sys.argv[1:], extra_mod.VALUE)\n');
    expect(execFileSync(py!, [join(root, 'script.py'), 'z'], { encoding: 'utf8' })).toBe("__main__ ['z'] from extra\n");
    expect(execFileSync(py!, [], { encoding: 'utf8', input: 'import demo_alpha\nprint(6 * 7)\n' })).toContain('42');
  });

  it('a missing egg is a clear error naming it', async () => {
    const e = await failure(writeConsoleScripts(env, { binDir: join(root, 'bin6'), eggs: ['demo.alpha', 'not-installed-anywhere'] }));
    expect(e.message).toContain('not-installed-anywhere');
    expect(e.message).not.toContain('demo.alpha');
  });

  it('uninstalls a develop egg that was removed from develop', async () => {
    const next = await ensurePythonEnv({ ...req, develop: [join(root, 'src/beta')], requirements: ['waitress'] });
    const r = spawnSync(next.python, ['-c', 'import demo_alpha'], { encoding: 'utf8' });
    expect(r.status).not.toBe(0);
    expect(spawnSync(next.python, ['-c', 'import demo_beta']).status).toBe(0);
  });
});

describe('ensurePythonEnv: pins, picked versions, failures that keep the environment (real uv and PyPI)', () => {
  let root: string;
  beforeAll(() => {
    root = tempRoot();
    // names PyPI does not have: they come from find-links only
    makeWheel(join(root, 'wheels'), { name: 'buildout-ts-test-gamma', version: '0.3', module: 'bt_gamma', code: 'X = 1\n', requires: ['buildout-ts-test-eps'] });
    makeWheel(join(root, 'wheels'), { name: 'buildout-ts-test-eps', version: '1.0', module: 'bt_eps', code: 'Y = 2\n' });
    writePackage(join(root, 'src/delta'), { name: 'demo-delta', version: '1.0', module: 'demo_delta', dependencies: ['buildout-ts-test-gamma'], code: 'import bt_gamma\n' });
  });
  afterAll(() => {
    if (root && !process.env.KEEP_TESTDIR) rmSync(root, { recursive: true, force: true });
  });

  it('allow-picked-versions = false refuses unpinned requirements, all named, before starting anything', async () => {
    const dir = join(root, 'b1');
    const spawned = pythonSpawnCount();
    const e = await failure(ensurePythonEnv(request(dir, { b: { 'allow-picked-versions': 'false' }, requirements: ['waitress', 'Zope[wsgi]', 'pinned'], versions: { pinned: '1.0' } })));
    expect(e.code).toBe('PickedVersion');
    expect(e.message).toContain('waitress, Zope');
    expect(e.message).not.toContain('pinned');
    expect(pythonSpawnCount()).toBe(spawned);
    expect(existsSync(join(dir, '.buildout/venv'))).toBe(false);
  });

  it('allow-picked-versions = false lists every picked dependency at once and installs nothing', async () => {
    const dir = join(root, 'b5');
    const e = await failure(ensurePythonEnv(request(dir, { b: { 'allow-picked-versions': 'false', 'find-links': join(root, 'wheels') }, develop: [join(root, 'src/delta')] })));
    expect(e.code).toBe('PickedVersion');
    expect(e.message).toContain('would be picked:\n  buildout-ts-test-eps = 1.0\n  buildout-ts-test-gamma = 0.3');
    expect(spawnSync(join(dir, '.buildout/venv/bin/python'), ['-c', 'import bt_gamma']).status).not.toBe(0);
  });

  it('show-picked-versions and update-versions-file write zc.buildout’s [versions] snippet', async () => {
    const dir = join(root, 'b4');
    const { log, lines } = capture();
    const env = await ensurePythonEnv(request(dir, { b: { 'show-picked-versions': 'true', 'find-links': join(root, 'wheels'), 'update-versions-file': 'picked.cfg' }, requirements: ['buildout-ts-test-gamma'], log }));
    expect(spawnSync(env.python, ['-c', 'import bt_gamma, bt_eps']).status).toBe(0);
    const snippet = ['[versions]', 'buildout-ts-test-gamma = 0.3', '', '# Required by:', '# buildout-ts-test-gamma==0.3', 'buildout-ts-test-eps = 1.0'];
    expect(lines.join('\n')).toContain(['Versions had to be automatically picked.', 'The following part definition lists the versions picked:', ...snippet].join('\n'));
    expect(readFileSync(join(dir, 'picked.cfg'), 'utf8')).toBe(snippet.join('\n') + '\n');
    expect(lines).toContain(`Picked versions have been written to ${join(dir, 'picked.cfg')}`);
  });

  it('a failed change names every distribution that could not be had and keeps the environment as it was', async () => {
    const dir = join(root, 'b2');
    const env = await ensurePythonEnv(request(dir, { requirements: ['waitress'], versions: { waitress: WAITRESS } }));
    const state = readFileSync(join(env.prefix, 'buildout-ts-state.json'), 'utf8');
    writeFileSync(join(env.sitePackages, 'buildout-ts-witness.txt'), 'still here');
    const e = await failure(ensurePythonEnv(request(dir, { requirements: ['waitress', 'buildout-ts-no-such-dist-a', 'zope.interface', 'buildout-ts-no-such-dist-b'], versions: { waitress: WAITRESS, 'zope.interface': '0.0.0.1' } })));
    expect(e.code).toBe('DistributionNotFound');
    expect(e.message).toMatch(/^Couldn't find distributions for:\n {2}buildout-ts-no-such-dist-a: no distribution of that name\n {2}buildout-ts-no-such-dist-b: no distribution of that name\n {2}zope-interface==0\.0\.0\.1: no such version \(the index has \d+\.\d+/);
    expect(e.message).toContain(join(dir, '.buildout/installer/installer.log'));
    expect(readFileSync(join(env.sitePackages, 'buildout-ts-witness.txt'), 'utf8')).toBe('still here');
    expect(readFileSync(join(env.prefix, 'buildout-ts-state.json'), 'utf8')).toBe(state);
    expect(spawnSync(env.python, ['-c', 'import waitress']).status).toBe(0);
    expect(spawnSync(env.python, ['-c', 'import zope.interface']).status).not.toBe(0);
  });

  it('offline, a distribution the cache does not have: named, with the offline hint and the log', async () => {
    const dir = join(root, 'b3');
    const e = await failure(ensurePythonEnv(request(dir, { b: { offline: 'true' }, requirements: ['buildout-ts-no-such-dist'] })));
    expect(e.code).toBe('DistributionNotFound');
    expect(e.message).toContain('buildout-ts-no-such-dist: no distribution of that name in the download cache or find-links');
    expect(e.hint).toMatch(/offline/i);
    expect(readFileSync(join(dir, '.buildout/installer/installer.log'), 'utf8')).toContain('buildout-ts-no-such-dist was not found in the cache');
  });

  it('a plain setup.py develop egg with console scripts builds without `wheel` in the environment, and again offline from the cache', async () => {
    const src = writeSetupPy(join(root, 'src/plain'), { name: 'demo.plain', version: '0.1', module: 'demo_plain', scripts: { 'plain-hello': 'demo_plain:main' }, code: 'def main():\n    print("plain hello")\n' });
    const env = await ensurePythonEnv(request(join(root, 'b6'), { requirements: ['demo.plain'], develop: [src] }));
    expect(spawnSync(env.python, ['-c', 'import wheel']).status).not.toBe(0);
    const [script] = await writeConsoleScripts(env, { binDir: join(root, 'b6/bin'), eggs: ['demo.plain'] });
    expect(execFileSync(script!, { encoding: 'utf8' })).toBe('plain hello\n');

    const offline = await ensurePythonEnv(request(join(root, 'b7'), { b: { offline: 'true' }, requirements: ['demo.plain'], develop: [src] }));
    expect(execFileSync(offline.python, ['-c', 'import demo_plain; demo_plain.main()'], { encoding: 'utf8' })).toBe('plain hello\n');
  });

  it('newest = false keeps the version resolved before; newest = true takes the newer one', async () => {
    const dir = join(root, 'b9');
    const links = join(root, 'wheels-newest');
    makeWheel(links, { name: 'buildout-ts-test-nu', version: '1.0', module: 'bt_nu', code: 'V = "1.0"\n' });
    makeWheel(links, { name: 'buildout-ts-test-other', version: '1.0', module: 'bt_other', code: '' });
    const version = (env: PythonEnv) => execFileSync(env.python, ['-c', 'import bt_nu; print(bt_nu.V)'], { encoding: 'utf8' }).trim();
    const b = { 'find-links': links, newest: 'false' };
    expect(version(await ensurePythonEnv(request(dir, { b, requirements: ['buildout-ts-test-nu'] })))).toBe('1.0');
    makeWheel(links, { name: 'buildout-ts-test-nu', version: '1.1', module: 'bt_nu', code: 'V = "1.1"\n' });
    // a changed input makes the run resolve again: the previous version is kept
    expect(version(await ensurePythonEnv(request(dir, { b, requirements: ['buildout-ts-test-nu', 'buildout-ts-test-other'] })))).toBe('1.0');
    expect(version(await ensurePythonEnv(request(dir, { b: { ...b, newest: 'true' }, requirements: ['buildout-ts-test-nu'] })))).toBe('1.1');
  });

  it('BUILDOUT_TS_INSTALLER=pip: the pip fallback builds the same environment (python -m venv, pip)', async () => {
    const dir = join(root, 'b8');
    const { log, lines } = capture();
    process.env.BUILDOUT_TS_INSTALLER = 'pip';
    try {
      const env = await ensurePythonEnv(request(dir, { requirements: ['buildout-ts-test-gamma'], versions: { 'buildout-ts-test-gamma': '0.3', 'buildout-ts-test-eps': '1.0' }, b: { 'find-links': join(root, 'wheels'), 'allow-picked-versions': 'false' }, log }));
      expect(spawnSync(env.python, ['-c', 'import bt_gamma, bt_eps']).status).toBe(0);
      expect(readFileSync(join(env.prefix, 'pyvenv.cfg'), 'utf8')).not.toMatch(/^uv = /m);
      expect(lines.join('\n')).toContain('Installer: pip');
    } finally {
      delete process.env.BUILDOUT_TS_INSTALLER;
    }
  });
});
