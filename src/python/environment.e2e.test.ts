// The buildout's Python environment for real: a venv from Debian's python3 with
// include-site-packages, editable installs of local projects, console scripts and
// the interpreter script executed. Slow (pip runs): environments are shared per describe.
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
import { SYSTEM_PYTHON, buildWheel, systemPythonUsable, systemVersion, writePackage } from '../../test/fixtures/python/packages.js';

const usable = systemPythonUsable();
const waitressVersion = systemVersion('waitress');

function tempRoot(): string {
  return realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-pyenv-')));
}

function capture(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: createLogger({ level: 20, write: (l) => lines.push(l) }), lines };
}

function request(root: string, over: Partial<PythonEnvRequest> & { b?: Record<string, string> } = {}): PythonEnvRequest {
  const { b, ...rest } = over;
  return {
    buildout: { directory: root, executable: SYSTEM_PYTHON, 'include-site-packages': 'true', offline: 'true', ...b },
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

describe.skipIf(!usable || !waitressVersion)('ensurePythonEnv + writeConsoleScripts (real venv, needs Debian python3 with venv, pip, setuptools, waitress)', () => {
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
    req = request(root, { requirements: ['demo.alpha[serve]', 'waitress'], versions: { waitress: waitressVersion! }, develop: [alpha(), join(root, 'src/beta')] });
    env = await ensurePythonEnv(req);
  });
  afterAll(() => {
    if (root && !process.env.KEEP_TESTDIR) rmSync(root, { recursive: true, force: true });
  });

  it('creates <directory>/.buildout/venv with the develop eggs editable and system packages visible', () => {
    expect(env.prefix).toBe(join(root, '.buildout/venv'));
    const out = execFileSync(env.python, ['-c', 'import sys, demo_alpha, demo_beta, waitress; print(sys.prefix); print(demo_alpha.__file__); print(waitress.__file__)'], { encoding: 'utf8' }).split('\n');
    expect(out[0]).toBe(env.prefix);
    expect(out[1]).toBe(join(alpha(), 'demo_alpha/__init__.py'));
    expect(out[2]).toMatch(/^\/usr\/lib\/python3\/dist-packages\/waitress\//);
    expect(env.facts.versionInfo[0]).toBe(3);
    expect(env.sitePackages).toBe(join(env.prefix, `lib/python${env.facts.versionInfo[0]}.${env.facts.versionInfo[1]}/site-packages`));
    // the constraints file holds the pin
    expect(readFileSync(join(env.prefix, 'buildout-ts-constraints.txt'), 'utf8')).toBe(`waitress==${waitressVersion}\n`);
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

describe.skipIf(!usable || !waitressVersion)('ensurePythonEnv errors and picked versions (real pip, offline)', () => {
  let root: string;
  beforeAll(() => {
    root = tempRoot();
    writePackage(join(root, 'src/gamma'), { name: 'demo-gamma', version: '0.3', module: 'demo_gamma', code: 'X = 1\n' });
    buildWheel(join(root, 'src/gamma'), join(root, 'wheels'));
    writePackage(join(root, 'src/delta'), { name: 'demo-delta', version: '1.0', module: 'demo_delta', dependencies: ['demo-gamma'], code: 'import demo_gamma\n' });
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

  it('offline, a requirement nobody has fails with the name, a hint and the pip log', async () => {
    const dir = join(root, 'b2');
    const e = await failure(ensurePythonEnv(request(dir, { requirements: ['buildout-ts-no-such-dist'] })));
    expect(e.code).toBe('DistributionNotFound');
    expect(e.message).toContain("'buildout-ts-no-such-dist'");
    expect(e.hint).toMatch(/offline/i);
    const log = join(dir, '.buildout/pip.log');
    expect(e.message).toContain(log);
    expect(readFileSync(log, 'utf8')).toContain('No matching distribution found for buildout-ts-no-such-dist');
  });

  it('[versions] pins reach pip as constraints', async () => {
    const dir = join(root, 'b3');
    const e = await failure(ensurePythonEnv(request(dir, { requirements: ['waitress'], versions: { Waitress: '0.0.1' } })));
    expect(e.message).toContain('waitress');
    expect(readFileSync(join(dir, '.buildout/venv/buildout-ts-constraints.txt'), 'utf8')).toBe('Waitress==0.0.1\n');
  });

  it('without include-site-packages: an isolated environment (pip from ensurepip) with wheels from find-links; a develop egg needing `wheel` fails clearly', async () => {
    const dir = join(root, 'b6');
    const req = request(dir, { b: { 'include-site-packages': 'false', 'find-links': join(root, 'wheels') }, requirements: ['demo-gamma'], versions: { 'demo-gamma': '0.3' } });
    const env = await ensurePythonEnv(req);
    expect(spawnSync(env.python, ['-c', 'import demo_gamma']).status).toBe(0);
    expect(spawnSync(env.python, ['-c', 'import waitress']).status).not.toBe(0);
    expect(readFileSync(join(env.prefix, 'pyvenv.cfg'), 'utf8')).toContain('include-system-site-packages = false');

    // setuptools without `wheel` (not bundled with ensurepip) cannot build the editable
    const e = await failure(ensurePythonEnv({ ...req, develop: [join(root, 'src/delta')] }));
    expect(e.code).toBe('BuildError');
    expect(e.message).toContain(`Building ${join(root, 'src/delta')} failed: invalid command 'bdist_wheel'`);
    expect(e.hint).toContain("'wheel'");

    // a changed base (here: include-site-packages) recreates the environment
    const shared = await ensurePythonEnv({ ...req, buildout: { ...req.buildout, 'include-site-packages': 'true' } });
    expect(readFileSync(join(shared.prefix, 'pyvenv.cfg'), 'utf8')).toContain('include-system-site-packages = true');
    expect(spawnSync(shared.python, ['-c', 'import waitress, demo_gamma']).status).toBe(0);
  });

  it('show-picked-versions reports what pip picked from find-links; allow-picked-versions = false catches a picked dependency', async () => {
    const dir = join(root, 'b4');
    const { log, lines } = capture();
    const env = await ensurePythonEnv(request(dir, { b: { 'show-picked-versions': 'true', 'find-links': join(root, 'wheels'), 'update-versions-file': 'picked.cfg' }, requirements: ['demo-gamma'], log }));
    expect(spawnSync(env.python, ['-c', 'import demo_gamma']).status).toBe(0);
    expect(lines.join('\n')).toContain('[versions]\ndemo-gamma = 0.3');
    expect(readFileSync(join(dir, 'picked.cfg'), 'utf8')).toMatch(/^\[versions\]\n\n# Added by buildout-ts at .*\ndemo-gamma = 0\.3\n$/);

    const strict = join(root, 'b5');
    const e = await failure(ensurePythonEnv(request(strict, { b: { 'allow-picked-versions': 'false', 'find-links': join(root, 'wheels') }, develop: [join(root, 'src/delta')] })));
    expect(e.code).toBe('PickedVersion');
    expect(e.message).toContain('demo-gamma = 0.3');
    expect(spawnSync(join(strict, '.buildout/venv/bin/python'), ['-c', 'import demo_gamma']).status).not.toBe(0);
  });
});
