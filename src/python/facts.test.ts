// getPythonFacts against real interpreters: Debian's /usr/bin/python3 and the pyenv `python3`
// on PATH. Spawns are counted with a wrapper script that logs each start of the interpreter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { type BuildoutError, isBuildoutError } from '../errors.js';
import { run } from '../process/run.js';
import type { PythonFacts } from './types.js';

const DEBIAN = '/usr/bin/python3';
const hasDebian = fs.existsSync(DEBIAN);

// The facts computed a different way, straight from the interpreter.
const INDEPENDENT = `
import json, os, platform, struct, sys
print(json.dumps([sys.executable, list(sys.version_info[:3]), sys.version_info.releaselevel, sys.platform, os.name,
  platform.system(), platform.machine(), platform.release(), platform.version(), platform.python_implementation(),
  sys.implementation.name, sys.byteorder, struct.calcsize('P') * 8, sys.version, platform.python_version()]))
`;

async function independentFacts(python: string): Promise<unknown[]> {
  const r = await run(python, ['-c', INDEPENDENT]);
  expect(r.failed, r.stderr).toBe(false);
  return JSON.parse(r.stdout) as unknown[];
}

function asList(f: PythonFacts): unknown[] {
  return [f.executable, f.versionInfo, f.releaseLevel, f.platform, f.osName, f.system, f.machine, f.release, f.platformVersion, f.pythonImplementation, f.implementation, f.byteorder, f.pointerBits, f.sysVersion, f.version];
}

/** A fresh copy of facts.ts (empty in-process memo), as in a new buildout run. */
async function freshModule() {
  vi.resetModules();
  return import('./facts.js');
}

/** An interpreter that appends a line to `starts.log` each time it starts, then runs `target`. */
function countingPython(dir: string, target: string, name = 'python'): { exe: string; starts: () => number } {
  const exe = path.join(dir, name);
  const log = path.join(dir, 'starts.log');
  fs.writeFileSync(exe, `#!/bin/sh\necho started >> '${log}'\nexec '${target}' "$@"\n`, { mode: 0o755 });
  return { exe, starts: () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0) };
}

// (test/helpers/testdir.ts is outside tsconfig's rootDir for files under src/)
function testdir(files: Record<string, string> = {}): string {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'buildout-ts-facts-')));
  for (const [rel, content] of Object.entries(files)) fs.writeFileSync(path.join(root, rel), content);
  onTestFinished(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

let cacheDir: string;
beforeEach(() => {
  cacheDir = path.join(testdir(), 'cache');
  vi.stubEnv('BUILDOUT_TS_CACHE_DIR', cacheDir);
});
afterEach(() => {
  vi.unstubAllEnvs();
  vi.doUnmock('../process/run.js');
});

describe('getPythonFacts', () => {
  it.skipIf(!hasDebian)("learns Debian's /usr/bin/python3", async () => {
    const { getPythonFacts } = await freshModule();
    const facts = await getPythonFacts(DEBIAN);
    expect(asList(facts)).toEqual(await independentFacts(DEBIAN));
    expect(facts.implementationVersion).toBe(facts.version);
  });

  it('learns `python3` found on PATH (pyenv here), reporting the interpreter it really runs', async () => {
    const { getPythonFacts } = await freshModule();
    const facts = await getPythonFacts('python3');
    const probe = await run('python3', ['-c', 'import sys; print(sys.executable)']);
    expect(facts.executable).toBe(probe.stdout.trim());
    expect(asList(facts)).toEqual(await independentFacts('python3'));
  });

  it.skipIf(!hasDebian)('caches on disk: a new process state spawns no Python and does not load run.ts', async () => {
    const dir = testdir();
    const py = countingPython(dir, DEBIAN);
    const first = await (await freshModule()).getPythonFacts(py.exe);
    expect(py.starts()).toBe(1);
    const cacheFile = path.join(cacheDir, 'python-facts.json');
    const cache = JSON.parse(fs.readFileSync(cacheFile, 'utf8'));
    expect(cache.entries[py.exe].facts).toEqual(first);
    expect(fs.readdirSync(cacheDir)).toEqual(['python-facts.json']); // no temp file left behind

    // a hit must not even import the process module
    vi.doMock('../process/run.js', () => {
      throw new Error('run.ts was imported on a cache hit');
    });
    const second = await (await freshModule()).getPythonFacts(py.exe);
    expect(second).toEqual(first);
    expect(py.starts()).toBe(1);
  });

  it.skipIf(!hasDebian)('memoises in-process: the same call does not even read the disk cache again', async () => {
    const py = countingPython(testdir(), DEBIAN);
    const { getPythonFacts } = await freshModule();
    const a = await getPythonFacts(py.exe);
    fs.rmSync(cacheDir, { recursive: true });
    const b = await getPythonFacts(py.exe);
    expect(b).toBe(a);
    expect(py.starts()).toBe(1);
  });

  it.skipIf(!hasDebian)('re-queries when the interpreter file changes (mtime, then content)', async () => {
    const dir = testdir();
    const py = countingPython(dir, DEBIAN);
    const before = await (await freshModule()).getPythonFacts(py.exe);
    expect(py.starts()).toBe(1);

    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(py.exe, later, later);
    await (await freshModule()).getPythonFacts(py.exe);
    expect(py.starts()).toBe(2);

    // now the wrapper runs another interpreter: the new facts must be that one's
    const probe = await run('python3', ['-c', 'import sys; print(sys.executable)']);
    const other = probe.stdout.trim();
    countingPython(dir, other);
    const after = await (await freshModule()).getPythonFacts(py.exe);
    expect(py.starts()).toBe(3);
    expect(after.sysVersion).toBe((await independentFacts(other))[13]);
    expect(after.sysVersion === before.sysVersion).toBe(false);
  });

  it.skipIf(!hasDebian)('re-queries when a symlinked interpreter is pointed elsewhere', async () => {
    const dir = testdir();
    const link = path.join(dir, 'python3');
    fs.symlinkSync(DEBIAN, link);
    const first = await (await freshModule()).getPythonFacts(link);
    expect(first.executable).toBe(link); // Python reports the path it was started as
    const probe = await run('python3', ['-c', 'import sys; print(sys.executable)']);
    fs.rmSync(link);
    fs.symlinkSync(probe.stdout.trim(), link);
    const second = await (await freshModule()).getPythonFacts(link);
    expect(second.sysVersion).toBe((await independentFacts(probe.stdout.trim()))[13]);
  });

  it.skipIf(!hasDebian)('tolerates a corrupt cache file and repairs it', async () => {
    fs.mkdirSync(cacheDir, { recursive: true });
    const cacheFile = path.join(cacheDir, 'python-facts.json');
    fs.writeFileSync(cacheFile, '{"format": 3, "entries": {"/usr/bin/python3": {"facts": 1');
    const facts = await (await freshModule()).getPythonFacts(DEBIAN);
    expect(facts.executable).toBe(DEBIAN);
    expect(JSON.parse(fs.readFileSync(cacheFile, 'utf8')).entries[DEBIAN].facts).toEqual(facts);
  });

  const pyenvRoot = process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv');
  const pyenv312 = fs.existsSync(path.join(pyenvRoot, 'versions', '3.12.1'));
  it.skipIf(!pyenv312)('re-queries a pyenv shim when the selected version changes (PYENV_VERSION)', async () => {
    vi.stubEnv('PYENV_VERSION', '3.12.1');
    const a = await (await freshModule()).getPythonFacts('python3');
    expect(a.versionInfo.slice(0, 2)).toEqual([3, 12]);
    vi.stubEnv('PYENV_VERSION', '3.11.7');
    const b = await (await freshModule()).getPythonFacts('python3');
    expect(b.versionInfo.slice(0, 2)).toEqual([3, 11]);
    vi.stubEnv('PYENV_VERSION', '3.12.1');
    const c = await (await freshModule()).getPythonFacts('python3');
    expect(c).toEqual(a);
  });

  it('uses $XDG_CACHE_HOME/buildout-ts without the override, and ~/.cache without either', async () => {
    vi.stubEnv('BUILDOUT_TS_CACHE_DIR', '');
    const xdg = testdir();
    vi.stubEnv('XDG_CACHE_HOME', xdg);
    const { factsCachePath, getPythonFacts } = await freshModule();
    expect(factsCachePath()).toBe(path.join(xdg, 'buildout-ts', 'python-facts.json'));
    await getPythonFacts('python3');
    expect(fs.existsSync(path.join(xdg, 'buildout-ts', 'python-facts.json'))).toBe(true);
    vi.stubEnv('XDG_CACHE_HOME', '');
    expect(factsCachePath()).toBe(path.join(process.env.HOME ?? '', '.cache', 'buildout-ts', 'python-facts.json'));
  });

  it.each([
    ['python-buildout-ts-surely-missing', /not found on PATH/],
    ['/nonexistent/bin/python3', /no such file/],
    ['', /the executable setting is empty/],
  ])('reports a missing interpreter %j with a hint', async (exe, why) => {
    const { getPythonFacts } = await freshModule();
    const err = await getPythonFacts(exe).catch((e: unknown) => e);
    expect(isBuildoutError(err)).toBe(true);
    expect((err as BuildoutError).code).toBe('PythonNotFound');
    expect((err as BuildoutError).message).toMatch(why);
    expect((err as BuildoutError).hint).toMatch(/executable.*install python3/);
  });

  it.skipIf(!hasDebian)('ignores chatter printed before the facts (a noisy wrapper script)', async () => {
    const dir = testdir();
    const noisy = path.join(dir, 'python');
    fs.writeFileSync(noisy, `#!/bin/sh\necho 'activating toolchain {'\nexec ${DEBIAN} "$@"\n`, { mode: 0o755 });
    const facts = await (await freshModule()).getPythonFacts(noisy);
    expect(facts.sysVersion).toBe((await independentFacts(DEBIAN))[13]);
  });

  it('reports a file that is not executable, and an interpreter that fails', async () => {
    const dir = testdir({ 'notexec': 'x' });
    const { getPythonFacts } = await freshModule();
    await expect(getPythonFacts(path.join(dir, 'notexec'))).rejects.toMatchObject({ code: 'PythonNotFound', message: expect.stringMatching(/not an executable file/) });
    const broken = path.join(dir, 'broken');
    fs.writeFileSync(broken, '#!/bin/sh\necho "Fatal Python error: init_fs_encoding" >&2\nexit 1\n', { mode: 0o755 });
    await expect(getPythonFacts(broken)).rejects.toMatchObject({ code: 'PythonFactsError', message: expect.stringMatching(/exit code 1[\s\S]*init_fs_encoding/) });
  });
});
