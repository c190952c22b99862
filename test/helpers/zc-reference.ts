// The real zc.buildout from PyPI in a scratch virtual environment, cached between runs
// (~/.cache/buildout-ts/reference/zc.buildout-<version>), for differential tests.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const ZC_BUILDOUT_VERSION = '6.0.1';
// zc.buildout's easy_install still imports setuptools' pkg_resources, gone in setuptools 82
const REQUIREMENTS = [`zc.buildout==${ZC_BUILDOUT_VERSION}`, 'setuptools<82'];

/** The reference environment's python, installing it on first use. Throws with pip's output when it cannot. */
export function zcBuildoutPython(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cache, 'buildout-ts', 'reference', `zc.buildout-${ZC_BUILDOUT_VERSION}`);
  const python = join(dir, 'bin', 'python');
  const marker = join(dir, '.complete');
  if (existsSync(marker)) return python;
  // built beside, then renamed: a run killed half-way leaves no broken environment behind
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(dir, '..'), { recursive: true });
  run('python3', ['-m', 'venv', tmp]);
  run(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS]);
  rmSync(dir, { recursive: true, force: true });
  // bin/python is a link to the base interpreter and finds its environment by pyvenv.cfg: renaming is safe
  renameSync(tmp, dir);
  writeFileSync(marker, REQUIREMENTS.join('\n') + '\n');
  return python;
}

function run(file: string, args: string[]): void {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 600_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stderr || r.stdout || r.error}`);
}

/** zc.buildout's eggs directory for differential runs: the recipes and extensions it fetches (zc.recipe.testrunner, mr.developer, …) are downloaded once per machine. */
export function zcReferenceEggs(): string {
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(cache, 'buildout-ts', 'reference', 'eggs');
}

/**
 * Runs the real zc.buildout (`buildout ARGS` in `cwd`, no user defaults, the shared eggs
 * directory); returns its exit code and output. Recipes and extensions come from PyPI.
 */
export function runZcBuildout(cwd: string, args: string[], env: Record<string, string> = {}): { exitCode: number | null; stdout: string; stderr: string } {
  const r = spawnSync(zcBuildoutPython(), zcArgv(args), { cwd, encoding: 'utf8', timeout: 600_000, env: { ...process.env, ...env } });
  return { exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** runZcBuildout without blocking the event loop (the test's own HTTP server must answer it). */
export function runZcBuildoutAsync(cwd: string, args: string[]): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const python = zcBuildoutPython();
  return new Promise((resolve, reject) => {
    const child = spawn(python, zcArgv(args), { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code, stdout, stderr }));
  });
}

function zcArgv(args: string[]): string[] {
  mkdirSync(zcReferenceEggs(), { recursive: true });
  const code = "import sys; from zc.buildout.buildout import main; sys.argv[0] = 'buildout'; main()";
  return ['-c', code, '-U', `buildout:eggs-directory=${zcReferenceEggs()}`, ...args];
}
