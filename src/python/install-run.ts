// One installer session of ensureEnvironment: the plan, the installer's files in the
// work folder (inputs, resolution, full log), and the resolution that goes on after
// a missing distribution so that the error names every one, not only the first.
import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import { installerCacheDir } from './cache.js';
import { developDistKey } from './develop.js';
import type { Problem } from './install-failure.js';
import type { InstallPlan, Installer, Outcome, Resolution } from './installer.js';
import { normaliseName } from './requirements.js';
import type { Settings } from './settings.js';
import { CONSTRAINTS_FILE, INPUT_FILE, RESOLVED_FILE, RESOLVING_FILE } from './uv.js';

export const LOG_FILE = 'installer.log';
/** How many times a resolution is retried without what was missing. */
const MAX_ROUNDS = 25;

export interface PlanInputs {
  python: string;
  settings: Settings;
  requirements: string[];
  develop: string[];
  constraints: string[];
}

export function createRun(workDir: string, installer: 'uv' | 'pip', onSpawn: (pid: number) => void, onProgress: (line: string) => void, log: Logger) {
  const logFile = join(workDir, LOG_FILE);
  writeFileSync(logFile, '');
  const onLine = (line: string) => {
    appendFileSync(logFile, line + '\n');
    log.debug(line);
    onProgress(line);
  };
  return {
    logFile,
    plan: { onLine },
    planFor(i: PlanInputs): InstallPlan {
      const s = i.settings;
      return {
        python: i.python,
        requirements: foldDevelop(i.requirements, i.develop).named,
        develop: foldDevelop(i.requirements, i.develop).editables,
        constraints: i.constraints,
        findLinks: s.findLinks,
        ...(s.index ? { index: s.index } : {}),
        noIndex: s.noIndex,
        offline: s.offline,
        newest: s.newest,
        preferFinal: s.preferFinal,
        ...(s.timeout !== undefined ? { timeoutSec: s.timeout } : {}),
        cacheDir: installerCacheDir(s.cacheRoot, installer),
        workDir,
        onLine,
        onSpawn,
      };
    },
    /**
     * Resolves; when distributions are missing, resolves again without them (a missing
     * requirement dropped, an impossible pin relaxed) to find the others too.
     */
    async resolveAll(inst: Installer, plan: InstallPlan): Promise<Outcome<Resolution>> {
      const found: Problem[] = [];
      let p = plan;
      let last: Outcome<Resolution> | undefined;
      for (let round = 0; round < MAX_ROUNDS; round++) {
        writeInputs(p);
        appendFileSync(logFile, `\n# ${inst.name}: resolving ${p.requirements.length} requirements, ${p.develop.length} develop eggs\n`);
        last = await inst.resolve(p);
        if (last.ok) break;
        let progressed = false;
        for (const problem of last.problems) {
          if (problem.kind !== 'not-found' && problem.kind !== 'no-version') continue;
          found.push(problem);
          const key = normaliseName(problem.name);
          const reqs = p.requirements.filter((r) => normaliseName(/^[A-Za-z0-9._-]+/.exec(r)?.[0] ?? '') !== key || (problem.kind === 'no-version' && !/[=<>~!]/.test(r)));
          const cons = p.constraints.filter((c) => normaliseName(/^[A-Za-z0-9._-]+/.exec(c)?.[0] ?? '') !== key);
          if (reqs.length !== p.requirements.length || cons.length !== p.constraints.length) progressed = true;
          p = { ...p, requirements: reqs, constraints: cons };
        }
        if (!progressed) {
          for (const q of last.problems) if (!found.includes(q)) found.push(q);
          break;
        }
      }
      writeInputs(plan);
      if (found.length === 0 && last) return last;
      // a relaxed pin that then resolved tells which version there is
      const after = last?.ok ? last.value.dists : [];
      const problems = found.map((q) => {
        if (q.kind !== 'no-version' || q.available) return q;
        const got = after.find((d) => normaliseName(d.name) === normaliseName(q.name));
        return got ? { ...q, available: `the index has ${got.version}` } : q;
      });
      return { ok: false, problems, output: '' };
    },
    /** The resolution just installed becomes the preference of the next run. */
    commitResolution(): void {
      const next = join(workDir, RESOLVING_FILE);
      if (existsSync(next)) renameSync(next, join(workDir, RESOLVED_FILE));
    },
  };
}

/** The installer's inputs (requirements.in, constraints.txt) in the plan's work folder. */
export function writeInputs(plan: InstallPlan): void {
  const lines = [...plan.develop.map((d) => `-e ${d}`), ...plan.requirements];
  writeFileSync(join(plan.workDir, INPUT_FILE), lines.join('\n') + '\n');
  writeFileSync(join(plan.workDir, CONSTRAINTS_FILE), plan.constraints.length ? plan.constraints.join('\n') + '\n' : '');
}

// --- internal ---

// A requirement naming a develop egg becomes an extra of its editable install (pip
// does not match a named requirement to an editable of the same invocation).
function foldDevelop(requirements: string[], develop: string[]): { named: string[]; editables: string[] } {
  const keyOf = developDistKey;
  const extras = new Map<string, Set<string>>(develop.map((d) => [keyOf(d), new Set<string>()]));
  const named: string[] = [];
  for (const r of requirements) {
    const m = /^([A-Za-z0-9._-]+)\s*(?:\[([^\]]*)\])?/.exec(r);
    const ex = m && extras.get(normaliseName(m[1]!));
    if (ex) (m![2] ?? '').split(',').map((e) => e.trim()).filter(Boolean).forEach((e) => ex.add(e));
    else named.push(r);
  }
  const editables = develop.map((d) => {
    const ex = [...(extras.get(keyOf(d)) ?? [])];
    return ex.length ? `${d}[${ex.sort().join(',')}]` : d;
  });
  return { named, editables };
}
