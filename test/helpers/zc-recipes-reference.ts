// The real zc.buildout 6.0.1 with a set of real third-party recipes (and the eggs their
// parts use) from PyPI, in a scratch environment cached under
// ~/.cache/buildout-ts/reference/recipes-<hash> (built once per machine). zc.buildout finds
// the recipes and eggs in the environment it runs from, so reference runs are offline.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ZC_BUILDOUT_VERSION } from './zc-reference.js';

/** What the corpus uses; the buildouts under test pin the same versions in [versions]. */
export const CORPUS_PINS: Record<string, string> = {
  'zc.recipe.egg': '6.0.0',
  'collective.recipe.omelette': '3.0.0',
  'collective.recipe.backup': '6.0.0',
  'collective.recipe.cmd': '1.0.0',
  'z3c.recipe.usercrontab': '1.5',
  'plone.recipe.precompiler': '0.7.2',
  'python-gettext': '5.0',
  'zope.interface': '7.2',
};

/** The reference environment's python, installing it on first use. */
export function zcRecipesPython(): string {
  const reqs = [`zc.buildout==${ZC_BUILDOUT_VERSION}`, 'setuptools<82', ...Object.entries(CORPUS_PINS).map(([n, v]) => `${n}==${v}`)];
  const key = createHash('sha256').update(reqs.join('\n')).digest('hex').slice(0, 12);
  const cache = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  const dir = join(cache, 'buildout-ts', 'reference', `recipes-${key}`);
  const marker = join(dir, '.complete');
  if (!existsSync(marker)) {
    const tmp = `${dir}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    mkdirSync(join(dir, '..'), { recursive: true });
    must('python3', ['-m', 'venv', tmp]);
    must(join(tmp, 'bin', 'python'), ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...reqs]);
    rmSync(dir, { recursive: true, force: true });
    renameSync(tmp, dir);
    writeFileSync(marker, reqs.join('\n') + '\n');
  }
  // (its bin/buildout names the temporary folder it was installed in: python runs zc.buildout)
  return join(dir, 'bin', 'python');
}

/** Runs the real zc.buildout in `cwd`: offline, without user defaults. */
export function runZcBuildout(cwd: string, args: string[] = []): { code: number | null; output: string } {
  const r = spawnSync(zcRecipesPython(), ['-c', 'import sys; from zc.buildout.buildout import main; main(sys.argv[1:])', '-U', '-o', ...args], { cwd, encoding: 'utf8', timeout: 300_000 });
  return { code: r.status, output: `${r.stdout}\n${r.stderr}` };
}

function must(file: string, args: string[]): void {
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 900_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}\n${r.stderr}`);
}
