// The buildout's Python environment, prepared at most once per run and only when a
// part needs it. The environment module keeps its own state and decides whether pip
// must run; we give it the union of the requirements of every part in the install
// list (not only the changed ones), so that its input hash stays stable between runs.
import { readdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Buildout } from '../config/types.js';
import type { Logger } from '../log.js';
import type { Progress } from './progress.js';
import type { PythonEnv } from '../python/types.js';
import type { ResolvedInstall } from './resolve-parts.js';

export interface PythonProvider {
  /** true when some part has requirements or there are develop eggs */
  readonly needed: boolean;
  /** the environment; with `extra`, holding those requirements too (a Python recipe's easy_install) */
  get(extra?: readonly string[]): Promise<PythonEnv>;
}

export function pythonProvider(bo: Buildout, requirements: readonly string[], develop: string[], progress: Progress, around: <T>(label: string, p: () => Promise<T>) => Promise<T>): PythonProvider {
  const log = progress.log;
  let env: Promise<PythonEnv> | undefined;
  const wanted = new Set(requirements);
  return {
    needed: requirements.length > 0 || develop.length > 0,
    get(extra = []) {
      // a new requirement: the environment is brought up to date with the grown set
      const before = wanted.size;
      for (const r of extra) wanted.add(r);
      if (wanted.size !== before) env = undefined;
      env ??= around('Preparing the Python environment', async () => {
        const { ensurePythonEnv } = await import('../python/environment.js');
        const versionsName = bo.buildout.versions ?? 'versions';
        const versions = versionsName && bo.hasSection(versionsName) ? bo.section(versionsName) : {};
        return ensurePythonEnv({
          buildout: bo.buildout,
          versions,
          requirements: [...wanted],
          develop,
          log,
          section: (name) => bo.section(name),
          // the installer's output: on the spinner line on a terminal, with -v otherwise
          onProgress: (line) => progress.detail(line),
        });
      });
      return env;
    },
  };
}

/** The environment's develop eggs: `[buildout] develop`, then the projects parts develop (their plugins' `developPaths`). */
export function environmentDevelop(resolved: Pick<ResolvedInstall, 'buildout' | 'parts' | 'directory'>, log: Logger): string[] {
  return [...developPaths(resolved.buildout.buildout.develop ?? '', resolved.directory, log), ...partDevelopPaths(resolved.parts)];
}

/** The projects the parts install in development mode (zc.recipe.egg:develop). */
export function partDevelopPaths(parts: ResolvedInstall['parts']): string[] {
  return parts.flatMap((p) => p.recipe.plugin.developPaths?.(p.raw) ?? []);
}

/** `[buildout] develop` as absolute paths; like zc.buildout, a glob in the last segment is expanded. */
export function developPaths(value: string, directory: string, log: Logger): string[] {
  const out: string[] = [];
  for (const entry of value.split(/\s+/).filter(Boolean)) {
    const abs = resolve(directory, entry);
    if (!/[*?[]/.test(basename(abs))) {
      out.push(abs);
      continue;
    }
    const re = globToRegExp(basename(abs));
    let names: string[] = [];
    try {
      names = readdirSync(dirname(abs)).filter((n) => re.test(n)).sort();
    } catch {
      // no such directory
    }
    if (!names.length) log.warn(`Couldn't develop '${abs}' (not found)`);
    out.push(...names.map((n) => join(dirname(abs), n)));
  }
  return out;
}

// --- internal ---

function globToRegExp(glob: string): RegExp {
  let re = '';
  for (const ch of glob) re += ch === '*' ? '[^/]*' : ch === '?' ? '[^/]' : /[\\^$.|+(){}[\]]/.test(ch) ? `\\${ch}` : ch;
  return new RegExp(`^${re}$`);
}
