// The real tools, for differential tests: zc.buildout, plone.recipe.zope2instance and
// plone.recipe.zeoserver from PyPI, with Zope/Plone pinned by examples/versions.cfg, in a
// virtual environment cached under ~/.cache/buildout-ts/reference/<key>/ (built once, then
// reused by every run; the key changes with the pins). zc.buildout finds the recipes and
// the parts' eggs in that environment's site-packages (it adds the directory it was
// installed in to its search path), so every reference run is offline and takes ~2 s.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli.js';

/** The real tools. zc.buildout needs pkg_resources: setuptools < 82. */
export const REFERENCE_TOOLS = ['setuptools==81.0.0', 'zc.buildout==6.0.1', 'zc.recipe.egg==6.0.0', 'plone.recipe.zope2instance==9.1.0', 'plone.recipe.zeoserver==4.0.1'];

/**
 * What the compared configurations use as eggs (versions from examples/versions.cfg where
 * pinned there). Two environments, because zc.buildout sees every distribution of the
 * directory it was installed in: with Plone there, Products.CMFPlone would be in every
 * part's working set, and the recipe would leave out the temporary storage everywhere.
 */
export const REFERENCE_EGGS = {
  zope: ['Zope', 'ZEO', 'tempstorage==6.0', 'RelStorage==4.3.0', 'zc.zlibstorage==1.2.0', 'zc.beforestorage==1.0', 'repoze.profile==2.3', 'sentry-sdk==2.75.0', 'plone.resource'],
  plone: ['Plone', 'dataflake.wsgi.bjoern', 'dataflake.wsgi.cheroot', 'dataflake.wsgi.werkzeug', 'gunicorn', 'waitress'],
} as const;

export type Flavour = keyof typeof REFERENCE_EGGS;

export interface Reference {
  /** the reference environment's python */
  python: string;
  /** its zc.buildout script */
  buildout: string;
}

const PYTHON = process.env.BUILDOUT_TS_TEST_PYTHON ?? 'python3';

/** Builds the reference environment once (minutes, with a lock against parallel test files), then returns it at once. */
export async function referenceEnv(flavour: Flavour): Promise<Reference> {
  const constraints = versionConstraints();
  const key = `${flavour}-` + createHash('sha256').update(JSON.stringify([REFERENCE_TOOLS, REFERENCE_EGGS[flavour], constraints, pythonVersion()])).digest('hex').slice(0, 16);
  const base = join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'buildout-ts', 'reference');
  const dir = join(base, key);
  const ref = { python: join(dir, 'bin', 'python'), buildout: join(dir, 'bin', 'buildout') };
  // written last: a killed build (no marker) is started over
  const complete = join(dir, '.complete');
  if (existsSync(complete)) return ref;
  mkdirSync(base, { recursive: true });
  await withLock(join(base, `${key}.lock`), () => {
    if (existsSync(complete)) return;
    rmSync(dir, { recursive: true, force: true });
    must(PYTHON, ['-m', 'venv', dir]);
    writeFileSync(join(dir, 'constraints.txt'), constraints.join('\n') + '\n');
    must(ref.python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', '-c', join(dir, 'constraints.txt'), ...REFERENCE_TOOLS, ...REFERENCE_EGGS[flavour]], 1_500_000);
    writeFileSync(complete, new Date().toISOString() + '\n');
  });
  return ref;
}

/** Runs the real zc.buildout in `cwd` (offline, no user defaults). */
export function runReference(ref: Reference, cwd: string, args: string[] = []): { code: number | null; output: string } {
  // examples/versions.cfg pins setuptools 84, which has no pkg_resources for zc.buildout;
  // develop eggs are built with the environment's setuptools (offline: no build isolation)
  const r = spawnSync(ref.buildout, ['-U', '-o', 'versions:setuptools=81.0.0', ...args], { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, PIP_NO_INDEX: '1', PIP_NO_BUILD_ISOLATION: '0' } });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
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

function pythonVersion(): string {
  return spawnSync(PYTHON, ['-c', 'import sys; print(sys.version)'], { encoding: 'utf8' }).stdout.trim();
}

function must(file: string, args: string[], timeout = 300_000): void {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}

// mkdir is atomic: the directory is the lock; a lock older than 30 minutes is stale
async function withLock(lock: string, fn: () => void): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (i > 18_000) throw new Error(`${lock} held for 30 minutes: remove it if no test runs`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  try {
    fn();
  } finally {
    rmdirSync(lock);
  }
}
