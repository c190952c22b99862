// Real repositories for mr.developer's tests: a git (or hg, svn) repository of a
// small Python project, made on the spot (no network), and the checks that the
// built-in extension and recipe are wired into the install (tests that need them
// fail with a message saying so instead of skipping).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCli } from './cli.js';
import { testdir } from './testdir.js';

const GIT_ENV = { GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org', GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' };

/** Runs a program and returns its stdout; throws with its output when it fails. */
export function sh(cwd: string, file: string, args: string[], env: Record<string, string> = {}): string {
  const r = spawnSync(file, args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV, ...env } });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed in ${cwd}:\n${r.stderr}${r.stdout}`);
  return r.stdout;
}

export const git = (cwd: string, ...args: string[]) => sh(cwd, 'git', args).trim();

export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/** The files of a minimal setuptools project named `name` (module `name` with dots as underscores). */
export function pythonProject(name: string, version = '1.0', extra: Record<string, string> = {}): Record<string, string> {
  const module = name.replace(/[.-]/g, '_');
  return {
    'setup.py': `from setuptools import setup\nsetup(name=${JSON.stringify(name)}, version=${JSON.stringify(version)}, packages=[${JSON.stringify(module)}])\n`,
    [`${module}/__init__.py`]: `VERSION = ${JSON.stringify(version)}\n`,
    '.gitignore': '*.egg-info/\n__pycache__/\n',
    ...extra,
  };
}

/** A git repository at `dir` (branch main) with one commit of `files`; returns its file:// URL. */
export function gitRepo(dir: string, files: Record<string, string>): string {
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', 'main');
  return gitCommit(dir, files, 'initial');
}

/** Writes `files` and commits them; returns the repository's file:// URL. */
export function gitCommit(dir: string, files: Record<string, string>, message: string): string {
  writeFiles(dir, files);
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', message);
  return `file://${dir}`;
}

export function hasProgram(name: string): boolean {
  return spawnSync(name, ['--version'], { encoding: 'utf8' }).status === 0;
}

let extensionWired: boolean | undefined;

/**
 * Fails (with what to do) unless `extensions = mr.developer` runs the built-in extension
 * (the lead registers it; until then these tests fail on purpose, saying so).
 */
export function requireMrDeveloperWired(): void {
  if (extensionWired === undefined) {
    const root = testdir({ 'buildout.cfg': '[buildout]\nextensions = mr.developer\nparts =\nauto-checkout = probe\n[sources]\nprobe = fs probe egg=false\n', 'src/probe/README': '' });
    const r = runCli([], { cwd: root });
    extensionWired = r.exitCode === 0 && existsSync(join(root, 'bin', 'develop')) && readFileSync(join(root, 'bin', 'develop'), 'utf8').includes('buildout-ts') && existsSync(join(root, '.mr.developer.cfg'));
  }
  if (!extensionWired) {
    throw new Error(
      "The built-in mr.developer extension is not registered yet: add `'mr.developer': () => import('./mr-developer/index.js'),` to BUILTIN_EXTENSIONS in src/extensions/registry.ts. This end-to-end test runs once it is.",
    );
  }
}

let recipeWired: boolean | undefined;

/** Fails (with what to do) unless `recipe = zc.recipe.testrunner` is the built-in recipe. */
export function requireTestrunnerWired(): void {
  if (recipeWired === undefined) {
    const root = testdir({ 'buildout.cfg': '[buildout]\nparts = test\n[test]\nrecipe = zc.recipe.testrunner\neggs = x\n' });
    const r = runCli(['query', 'test:script'], { cwd: root });
    recipeWired = r.exitCode === 0 && r.stdout.trim() === join(root, 'bin', 'test');
  }
  if (!recipeWired) {
    throw new Error(
      "The built-in zc.recipe.testrunner is not registered yet: add `'zc.recipe.testrunner': async () => (await import('./testrunner/hooks.js')).default,` to BUILTIN_RECIPES in src/recipes/registry.ts. This end-to-end test runs once it is.",
    );
  }
}
