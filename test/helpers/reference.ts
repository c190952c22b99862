// The real tools for differential tests: zc.buildout (and whatever recipes and eggs a test
// compares against) from PyPI, each set in a virtual environment of its own, cached under
// ~/.cache/buildout-ts/reference/<name>-<key>/ where the key is a hash of the requirements,
// the constraints and the interpreter: built once per machine (a lock keeps parallel test
// files from building it twice), then every run reuses it. zc.buildout finds the recipes
// and eggs installed beside it (it searches the directory it was installed in), so runs on
// a complete environment can be offline.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from './cli.js';

/** The zc.buildout we compare against (src/config/buildout-defaults.ts names the one we stand in for; a test checks they agree). */
export const ZC_BUILDOUT_VERSION = '6.0.1';

/** zc.buildout itself; its easy_install still imports setuptools' pkg_resources, gone in setuptools 82. */
export const ZC_BUILDOUT = [`zc.buildout==${ZC_BUILDOUT_VERSION}`, 'setuptools<82'] as const;

export interface Reference {
  /** the environment's folder */
  dir: string;
  /** its python */
  python: string;
  /** arguments every run of zc.buildout from this environment gets (after `-U`) */
  args: readonly string[];
  /** environment variables every run gets */
  env: Readonly<Record<string, string>>;
}

export interface ReferenceSpec {
  /** the folder's prefix, e.g. `zope` */
  name: string;
  /** what pip installs */
  requirements: readonly string[];
  /** pip constraints (`name==version` lines) */
  constraints?: readonly string[];
  args?: readonly string[];
  env?: Readonly<Record<string, string>>;
}

const PYTHON = process.env.BUILDOUT_TS_TEST_PYTHON ?? 'python3';

/** The environment of `spec`, built on first use (minutes for Zope or Plone; seconds for zc.buildout alone). */
export function referenceEnv(spec: ReferenceSpec): Reference {
  const constraints = spec.constraints ?? [];
  const key = createHash('sha256').update(JSON.stringify([spec.requirements, constraints, pythonVersion()])).digest('hex').slice(0, 16);
  const base = referenceRoot();
  const dir = join(base, `${spec.name}-${key}`);
  const ref: Reference = { dir, python: join(dir, 'bin', 'python'), args: spec.args ?? [], env: spec.env ?? {} };
  // written last: a build that was killed (no marker) is started over
  const complete = join(dir, '.complete');
  if (existsSync(complete)) return ref;
  mkdirSync(base, { recursive: true });
  withLock(join(base, `${spec.name}-${key}.lock`), () => {
    if (existsSync(complete)) return;
    rmSync(dir, { recursive: true, force: true });
    must(PYTHON, ['-m', 'venv', dir]);
    const install = ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check'];
    if (constraints.length) {
      writeFileSync(join(dir, 'constraints.txt'), constraints.join('\n') + '\n');
      install.push('-c', join(dir, 'constraints.txt'));
    }
    must(ref.python, [...install, ...spec.requirements], 1_500_000);
    writeFileSync(complete, spec.requirements.join('\n') + '\n');
  });
  return ref;
}

/**
 * zc.buildout alone, with a shared eggs directory (referenceEggs): the recipes and
 * extensions a run fetches (zc.recipe.testrunner, mr.developer, …) are downloaded once.
 */
export function zcBuildout(): Reference {
  mkdirSync(referenceEggs(), { recursive: true });
  return referenceEnv({ name: 'zc.buildout', requirements: ZC_BUILDOUT, args: [`buildout:eggs-directory=${referenceEggs()}`] });
}

/** The eggs directory of zcBuildout()'s runs. */
export function referenceEggs(): string {
  return join(referenceRoot(), 'eggs');
}

/** The recipes the differential tests of zope2instance and zeoserver compare against. */
export const ZOPE_RECIPES = ['setuptools==81.0.0', `zc.buildout==${ZC_BUILDOUT_VERSION}`, 'zc.recipe.egg==6.0.0', 'plone.recipe.zope2instance==9.1.0', 'plone.recipe.zeoserver==4.0.1'];

/**
 * What the compared configurations use as eggs (versions from examples/versions.cfg where
 * pinned there). Two environments, because zc.buildout sees every distribution of the
 * directory it was installed in: with Plone there, Products.CMFPlone would be in every
 * part's working set, and the recipe would leave out the temporary storage everywhere.
 */
export const ZOPE_EGGS = {
  zope: ['Zope', 'ZEO', 'tempstorage==6.0', 'RelStorage==4.3.0', 'zc.zlibstorage==1.2.0', 'zc.beforestorage==1.0', 'repoze.profile==2.3', 'sentry-sdk==2.75.0', 'plone.resource'],
  plone: ['Plone', 'dataflake.wsgi.bjoern', 'dataflake.wsgi.cheroot', 'dataflake.wsgi.werkzeug', 'gunicorn', 'granian', 'waitress'],
} as const;

/**
 * zc.buildout with plone.recipe.zope2instance, plone.recipe.zeoserver and Zope (or Plone)
 * pinned by examples/versions.cfg; runs are offline. examples/versions.cfg pins setuptools
 * 84, which has no pkg_resources for zc.buildout: runs pin the environment's 81; develop
 * eggs are built with it (offline: no build isolation).
 */
export function zopeReference(flavour: keyof typeof ZOPE_EGGS): Reference {
  return referenceEnv({
    name: flavour,
    requirements: [...ZOPE_RECIPES, ...ZOPE_EGGS[flavour]],
    constraints: versionConstraints(),
    args: ['-o', 'versions:setuptools=81.0.0'],
    env: { PIP_NO_INDEX: '1', PIP_NO_BUILD_ISOLATION: '0' },
  });
}

export interface ZcRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  /** stdout, then stderr (zc.buildout logs to both) */
  output: string;
}

/** Runs the real zc.buildout of `ref` in `cwd`, without user defaults (`-U`). */
export function runZcBuildout(ref: Reference, cwd: string, args: readonly string[] = [], env: Record<string, string> = {}): ZcRun {
  const r = spawnSync(ref.python, zcArgv(ref, args), { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, ...ref.env, ...env } });
  return { exitCode: r.status, stdout: r.stdout, stderr: r.stderr, output: `${r.stdout}\n${r.stderr}` };
}

/** runZcBuildout without blocking the event loop (the test's own HTTP server must answer it). */
export function runZcBuildoutAsync(ref: Reference, cwd: string, args: readonly string[] = []): Promise<ZcRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(ref.python, zcArgv(ref, args), { cwd, env: { ...process.env, ...ref.env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code, stdout, stderr, output: `${stdout}\n${stderr}` }));
  });
}

function referenceRoot(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'buildout-ts', 'reference');
}

// python -c rather than bin/buildout: the script is not needed, and argv[0] reads as zc.buildout's
function zcArgv(ref: Reference, args: readonly string[]): string[] {
  const code = "import sys; from zc.buildout.buildout import main; sys.argv[0] = 'buildout'; main()";
  return ['-c', code, '-U', ...ref.args, ...args];
}

// examples/versions.cfg as pip constraints, without setuptools (the real zc.buildout needs < 82)
function versionConstraints(): string[] {
  const text = readFileSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), 'utf8');
  const out: string[] = [];
  let inVersions = false;
  for (const line of text.split('\n')) {
    const header = /^\[(.+)\]/.exec(line);
    if (header) inVersions = header[1] === 'versions';
    const m = inVersions ? /^([A-Za-z0-9._-]+)\s*=\s*(\S+)/.exec(line) : null;
    if (m && m[1]!.toLowerCase() !== 'setuptools') out.push(`${m[1]}==${m[2]}`);
  }
  return out;
}

let version: string | undefined;
function pythonVersion(): string {
  version ??= spawnSync(PYTHON, ['-c', 'import sys; print(sys.version)'], { encoding: 'utf8' }).stdout.trim();
  return version;
}

function must(file: string, args: string[], timeout = 300_000): void {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

// mkdir is atomic: the directory is the lock; waiting blocks (the builds are synchronous too)
function withLock(lock: string, fn: () => void): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 18_000) throw new Error(`${lock} held for 30 minutes: remove it if no test runs`);
      Atomics.wait(tick, 0, 0, 100);
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(lock);
  }
}
