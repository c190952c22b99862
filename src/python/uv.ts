// The uv installer: `uv venv`, `uv pip compile` (the whole resolution, nothing
// changed; the previous resolution is the preference, which is zc.buildout's
// newest = false), then `uv pip install --no-deps` of exactly that set.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../errors.js';
import type { RunResult } from '../process/run.js';
import { uvProblems } from './install-failure.js';
import type { InstallPlan, Installer, Outcome, Resolution, ResolvedDist } from './installer.js';
import { parseHashedOutput } from './locked-output.js';
import { normaliseName } from './requirements.js';
import type { UvProgram } from './uv-program.js';

/** Files in the plan's workDir (the inputs are written by the caller, for either installer). */
export const INPUT_FILE = 'requirements.in';
export const CONSTRAINTS_FILE = 'constraints.txt';
export const RESOLVED_FILE = 'resolved.txt';
export const RESOLVING_FILE = 'resolved.next.txt';
/** `buildout lock`'s resolution (universal, with hashes) */
export const LOCKING_FILE = 'locked.txt';

export function uvInstaller(uv: UvProgram): Installer {
  const run = async (args: string[], plan: Pick<InstallPlan, 'onLine' | 'onSpawn' | 'timeoutSec'> = {}): Promise<RunResult> => {
    const { run } = await import('../process/run.js');
    return run(uv.path, args, {
      env: { UV_PYTHON_DOWNLOADS: 'never', NO_COLOR: '1', ...(plan.timeoutSec ? { UV_HTTP_TIMEOUT: String(plan.timeoutSec) } : {}) },
      ...(plan.onLine ? { onLine: (l: string) => plan.onLine!(l) } : {}),
      ...(plan.onSpawn ? { onSpawn: plan.onSpawn } : {}),
    });
  };
  return {
    name: 'uv',
    description: `uv ${uv.version} (${uv.path}, ${uv.source === 'PATH' ? 'on PATH' : uv.source === 'cache' ? 'from our cache' : 'just downloaded'})`,
    async createVenv(base, prefix, includeSitePackages, onLine) {
      const r = await run(['venv', '--no-config', '--no-project', '--quiet', '--python', base, ...(includeSitePackages ? ['--system-site-packages'] : []), prefix], { onLine });
      if (r.exitCode !== 0) {
        throw new BuildoutError('VenvError', `Could not create the Python environment ${prefix} with ${base}:\n${(r.stderr || r.stdout).trim()}`, {
          hint: 'Set [buildout] executable to a working Python 3 interpreter.',
        });
      }
    },
    async resolve(plan) {
      const next = join(plan.workDir, RESOLVING_FILE);
      const previous = join(plan.workDir, RESOLVED_FILE);
      const compile = async (offline: boolean) => {
        // the previous resolution is uv's preference: unpinned versions stay unless newest asks for more
        if (existsSync(previous)) copyFileSync(previous, next);
        else writeFileSync(next, '');
        const args = ['pip', 'compile', ...common(plan), '--no-header', '--quiet', '-c', join(plan.workDir, CONSTRAINTS_FILE), '-o', next, join(plan.workDir, INPUT_FILE)];
        if (offline && !plan.offline) args.push('--offline');
        if (plan.newest && !plan.offline && !offline) args.push('--upgrade');
        return run(args, plan);
      };
      // Pinned throughout, the index cannot change the answer: resolve from the cache first.
      // (An online resolve also makes uv 0.13 forget the wheels it built from sdists, e.g.
      // bjoern's, and build them again at install.)
      if (!plan.offline) {
        const cached = await compile(true);
        if (cached.exitCode === 0) {
          const resolution = parseResolution(readFileSync(next, 'utf8'));
          if (everyDistPinned(resolution, plan.constraints)) return { ok: true, value: resolution };
        }
      }
      const r = await compile(false);
      if (r.exitCode !== 0) return { ok: false, problems: uvProblems(`${r.stderr}\n${r.stdout}`), output: `${r.stdout}\n${r.stderr}` };
      return { ok: true, value: parseResolution(readFileSync(next, 'utf8')) };
    },
    async install(plan, _resolution, repair) {
      const args = ['pip', 'install', ...common(plan), '--no-deps', '-r', join(plan.workDir, RESOLVING_FILE)];
      if (repair) args.push('--reinstall');
      const r = await run(args, plan);
      if (r.exitCode !== 0) return { ok: false, problems: uvProblems(`${r.stderr}\n${r.stdout}`), output: `${r.stdout}\n${r.stderr}` };
      return { ok: true, value: undefined };
    },
    async uninstall(python, names) {
      if (names.length) await run(['pip', 'uninstall', '--no-config', '--python', python, ...names]);
    },
    async lock(plan, preferences) {
      // uv reads the output file's versions as its preferences
      const out = join(plan.workDir, LOCKING_FILE);
      writeFileSync(out, preferences);
      const args = ['pip', 'compile', ...common(plan), '--universal', '--generate-hashes', '--no-header', '--quiet', '-c', join(plan.workDir, CONSTRAINTS_FILE), '-o', out, join(plan.workDir, INPUT_FILE)];
      const r = await run(args, plan);
      if (r.exitCode !== 0) return { ok: false, problems: uvProblems(`${r.stderr}\n${r.stdout}`), output: `${r.stdout}\n${r.stderr}` };
      return { ok: true, value: { ...parseHashedOutput(readFileSync(out, 'utf8')), resolution: 'universal' } };
    },
    async installLocked(plan, file, repair) {
      const steps = [['--require-hashes', '-r', file, ...(repair ? ['--reinstall'] : [])], ...(plan.develop.length ? [plan.develop.flatMap((d) => ['-e', d])] : [])];
      for (const step of steps) {
        const r = await run(['pip', 'install', ...common(plan), '--no-deps', ...step], plan);
        if (r.exitCode !== 0) return { ok: false, problems: uvProblems(`${r.stderr}\n${r.stdout}`), output: `${r.stdout}\n${r.stderr}` };
      }
      return { ok: true, value: undefined };
    },
  };
}

/** The resolution in `uv pip compile`'s output format (exported for tests). */
export function parseResolution(text: string): Resolution {
  const dists: ResolvedDist[] = [];
  let current: ResolvedDist | undefined;
  let inVia = false;
  for (const raw of text.split('\n')) {
    const line = raw.trimEnd();
    if (/^\S/.test(line) && !line.startsWith('#')) {
      inVia = false;
      const pinned = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(\S+)/.exec(line);
      const direct = /^-e\s+(.+)$/.exec(line) ?? /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*@\s*(.+)$/.exec(line);
      current = pinned ? { name: pinned[1]!, version: pinned[2]!.replace(/\s*;.*$/, ''), direct: false, requiredBy: [], requested: false } : direct ? { name: direct[1]!.trim(), version: '', direct: true, requiredBy: [], requested: false } : undefined;
      if (current) dists.push(current);
      continue;
    }
    if (!current) continue;
    const via = /^\s+#\s+via(?:\s+(.*))?$/.exec(line);
    const more = /^\s+#\s{3}(.*)$/.exec(line);
    const who = via ? via[1] : inVia ? more?.[1] : undefined;
    if (via) inVia = true;
    if (!who) continue;
    if (who.startsWith('-r ') || who.startsWith('-c ')) current.requested ||= who.startsWith('-r ');
    else current.requiredBy.push(normaliseName(who.trim().split(/\s/)[0]!));
  }
  return { dists };
}

// --- internal ---

// Every distribution of the resolution (develop eggs aside) has an exact pin at its version.
function everyDistPinned(resolution: Resolution, constraints: string[]): boolean {
  const pins = new Map<string, string>();
  for (const c of constraints) {
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*===?\s*([^\s;,]+)\s*$/.exec(c);
    if (m) pins.set(normaliseName(m[1]!), m[2]!);
  }
  return resolution.dists.every((d) => d.direct || pins.get(normaliseName(d.name)) === d.version);
}

function common(plan: InstallPlan): string[] {
  const args = ['--no-config', '--no-progress', '--python', plan.python, '--cache-dir', plan.cacheDir];
  if (plan.offline) args.push('--offline');
  if (plan.noIndex) args.push('--no-index');
  else if (plan.index) args.push('--index-url', plan.index);
  for (const f of plan.findLinks) args.push('--find-links', f);
  if (!plan.preferFinal) args.push('--prerelease', 'allow');
  return args;
}
