// `buildout plan` and `install --plan`: the report of what a run would do, from a
// resolution made as install makes it. Nothing is written, no lock is taken (the report
// may be stale by the time it is read, like any plan), and no process is started except
// the installer's dry-run resolution when the environment's inputs changed.
import { statSync } from 'node:fs';
import type { LoadOptions } from '../../config/types.js';
import type { Logger } from '../../log.js';
import { emptyState, readOrUndefined, stateFromText } from '../../state/installed.js';
import { readJournal } from '../../state/journal.js';
import { isNoop } from '../../state/plan.js';
import { venvPrefix } from '../../python/environment.js';
import type { RecipeContext } from '../../recipes/types.js';
import { parseOptions } from '../options.js';
import { planRun } from '../planning.js';
import { recordedEnvironment } from '../preview/environment.js';
import { environmentDevelop } from '../python-env.js';
import { PythonRecipes } from '../python-recipes/session.js';
import { resolveInstall, type ResolvedInstall } from '../resolve-parts.js';
import { environmentReport } from './env-report.js';
import { planReport, type PlanReport } from './report.js';

export interface PlanOptions {
  log: Logger;
  /** ask the installer which distributions would change (when the environment would) */
  resolveDistributions: boolean;
  /** Python parts whose constructor could not give its options (no host while planning) */
  unconstructed?: ReadonlySet<string>;
}

/** Resolves the configuration without starting the Python host, then reports. */
export async function computePlan(load: LoadOptions, parts: readonly string[], o: PlanOptions): Promise<PlanReport> {
  const python = new PythonRecipes(); // recorded constructor results only: no host
  const resolved = await resolveInstall(load, parts, {
    python: (spec) => python.plugin(spec),
    extensions: async (b) => {
      if (!(b.buildout.extensions ?? '').trim()) return { names: [], unload: async () => {} };
      const { loadExtensions } = await import('../../extensions/loader.js');
      // built-in extensions as for a command that only resolves (no checkout); Python ones do not run
      return loadExtensions(b, { command: 'check', log: o.log });
    },
  });
  return reportFor(resolved, { ...o, unconstructed: python.unconstructed });
}

/** The report for a resolution (install --plan passes its own). */
export async function reportFor(resolved: ResolvedInstall, o: PlanOptions): Promise<PlanReport> {
  const { directory, buildout: bo } = resolved;
  const file = resolved.installedFile;
  const text = file ? readOrUndefined(file) : undefined;
  const state = text === undefined ? emptyState() : stateFromText(text, file, directory);
  const repair = readJournal(directory)?.open.map((t) => t.part) ?? [];
  const run = planRun(resolved, state);
  const env = recordedEnvironment(venvPrefix(directory));
  const unchanged = { changed: false, reasons: [] };
  if (isNoop(run.plan) && !run.envChanged) return planReport({ resolved, state, run, installedAt: installedAt(file), env, environment: unchanged, repair, ...(o.unconstructed ? { unconstructed: o.unconstructed } : {}) });

  // every part's requirements make the environment's inputs, as in execute.ts
  const requirements: string[] = [];
  let reachesEnvironment = run.envChanged;
  for (const info of resolved.parts) {
    const recipe = await info.recipe.plugin.load();
    if (!recipe.requirements) continue;
    const options = parseOptions(recipe, info.name, info.raw, (opt) => bo.locate(info.name, opt));
    const ctx = { part: info.name, options, raw: info.raw, buildout: bo.reader(info.name), created: () => {}, log: o.log, interactive: false, offline: bo.buildout.offline === 'true' } as Omit<RecipeContext<unknown>, 'python'>;
    const reqs = recipe.requirements(ctx);
    requirements.push(...reqs);
    if (reqs.length && run.plan.steps.some((s) => s.part === info.name && s.action !== 'keep')) reachesEnvironment = true;
  }
  const develop = environmentDevelop(resolved, o.log);
  const environment = await environmentReport({ buildout: bo, requirements, develop, reached: reachesEnvironment, resolve: o.resolveDistributions, log: o.log });
  return planReport({ resolved, state, run, installedAt: installedAt(file), env, environment, repair, ...(o.unconstructed ? { unconstructed: o.unconstructed } : {}) });
}

// --- internal ---

function installedAt(file: string): number {
  try {
    return file ? statSync(file).mtimeMs : 0;
  } catch {
    return 0;
  }
}
