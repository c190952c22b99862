// The install command's lifecycle (spec §9): resolve, lock, read .installed.cfg, plan,
// then either finish at once (nothing changed: no recipe module is imported, no
// process started) or uninstall and install part by part, recording each part in
// .installed.cfg as soon as it is done.
import { mkdirSync, existsSync } from 'node:fs';
import type { LoadOptions } from '../config/types.js';
import { BuildoutError, ExitError } from '../errors.js';
import { createDebug, LEVELS, type Logger } from '../log.js';
import { emptyState, readOrUndefined, saveInstalled, stateFromText, type InstalledState } from '../state/installed.js';
import { removeStaleTemps } from '../state/atomic-write.js';
import { hasJournal } from '../state/journal.js';
import { acquireLock, type Lock } from '../state/lock.js';
import { isNoop } from '../state/plan.js';
import { planRun } from './planning.js';
import { interruptedExit, Interrupted, InterruptGuard } from './interrupt.js';
import { createProgress, type PartReport } from './progress.js';
import { removePaths } from './remove-paths.js';
import { resolveInstall } from './resolve-parts.js';
import { installPythonPlugins } from './python-recipes/plugin-factory.js';
import { unusedBuildoutWarning } from './unused-buildout.js';

export interface InstallRunOptions {
  load: LoadOptions;
  /** `install PART…`: exactly these parts */
  parts: readonly string[];
  /** the command's logger; its level is set from `log-level` and `verbosity` */
  log: Logger;
  /** a spinner may be drawn on stderr */
  tty: boolean;
  /** a person can answer prompts */
  interactive: boolean;
  lockTimeoutMs: number;
  /** `install --plan`: print what the run would do first; ask on a terminal unless `yes` */
  plan?: { yes: boolean };
}

export interface InstallSummary {
  parts: PartReport[];
  uninstalled: string[];
  seconds: number;
}

const debug = createDebug('install');

export async function runInstall(o: InstallRunOptions): Promise<InstallSummary> {
  const t0 = performance.now();
  debug?.(`started at ${t0.toFixed(1)} ms (since process start)`);
  const progress = createProgress(o.log, { tty: o.tty });
  const guard = new InterruptGuard();
  let lock: Lock | undefined;
  let doing = 'waiting for another buildout run';
  // The lock is taken before the Python host may change the recipe environment (while
  // resolving), or else once the configuration is resolved.
  const takeLock = async (directory: string) => {
    lock ??= await guard.race(acquireLock(directory, { timeoutMs: o.lockTimeoutMs, log: progress.log }));
  };
  let directoryForLock = o.load.cwd;
  const python = installPythonPlugins({
    log: progress.log,
    beforeHost: () => takeLock(directoryForLock),
    onProgress: (line) => progress.detail(line),
    around: async (label, fn) => {
      const stop = progress.task(label);
      try {
        return await guard.race(fn());
      } finally {
        stop();
      }
    },
  });
  try {
    const resolved = await resolveInstall({ ...o.load, onLoaded: (b) => {
      o.load.onLoaded?.(b);
      directoryForLock = b.annotated('buildout')?.directory?.value ?? directoryForLock;
    } }, o.parts, {
      python: python.factory,
      extensions: async (b) => {
        if (!(b.buildout.extensions ?? '').trim()) return { names: [], unload: async () => {} };
        const { loadExtensions } = await import('../extensions/loader.js');
        return loadExtensions(b, { command: 'install', log: progress.log, python: python.session.extensions(b.reader('buildout')) });
      },
    });
    debug?.(`resolved ${resolved.parts.length} parts at ${performance.now().toFixed(1)} ms`);
    const { buildout: bo, directory } = resolved;
    o.log.level = logLevel(bo.buildout, o.log.level);
    for (const n of bo.notices ?? []) o.log.info(n);
    for (const w of bo.warnings ?? []) o.log.warn(w);
    await takeLock(directory);
    python.session.save(resolved.parts.filter((p) => p.recipe.kind === 'python').map((p) => p.name));
    doing = 'preparing';

    const file = resolved.installedFile;
    if (file) removeStaleTemps(file);
    // a run killed while a part's previous installation was set aside: finish or undo it first
    if (hasJournal(directory)) {
      doing = 'repairing an interrupted run';
      const { repairInterruptedRun } = await import('./repair.js');
      repairInterruptedRun(directory, file, progress.log);
    }
    const text = file ? readOrUndefined(file) : undefined;
    const state: InstalledState = text === undefined ? emptyState() : stateFromText(text, file, directory);
    forgetZcDevelopEggs(state, directory, progress.log);

    const wanted = resolved.parts.map((p) => p.name);
    const { plan, envKey, envChanged } = planRun(resolved, state);
    debug?.(`planned at ${performance.now().toFixed(1)} ms`);

    if (o.plan && !(isNoop(plan) && !envChanged)) {
      doing = 'planning';
      await showPlanAndConfirm(resolved, o, progress.log, guard);
      doing = 'preparing';
    }
    setupDirectories(bo.buildout, progress.log);
    // zc.buildout checks [buildout] once the recipes are constructed, before installing
    const unused = unusedBuildoutWarning({ buildout: bo, parts: resolved.parts, extensions: resolved.extensions, pythonReads: python.session.buildoutReads(wanted) });
    if (unused) progress.log.warn(unused);

    let reports: PartReport[];
    let uninstalled: string[] = [];
    if (isNoop(plan) && !envChanged) {
      // The fast path: every part unchanged. Only the order in `parts` may need rewriting.
      reports = plan.steps.map((s) => ({ name: s.part, action: 'unchanged' as const, seconds: 0 }));
      for (const r of reports) progress.part(r.name, 'unchanged', 0);
      state.order = [...state.order.filter((p) => !wanted.includes(p)), ...wanted];
      if (file) saveInstalled(file, state, directory, text);
    } else {
      // Loaded only when something changes: a no-op run never imports it.
      const { executePlan } = await import('./execute.js');
      const result = await executePlan({
        resolved,
        plan,
        state,
        envKey,
        envChanged,
        progress,
        guard,
        interactive: o.interactive,
        save: (s) => file && saveInstalled(file, s, directory),
        setDoing: (d) => (doing = d),
        stopChildren: async () => {
          await python.session.started()?.then((h) => h.stop(), () => undefined);
        },
      });
      reports = result.reports;
      uninstalled = result.uninstalled;
      // requirements the Python parts asked for are recorded with their constructors
      python.session.save(resolved.parts.filter((p) => p.recipe.kind === 'python').map((p) => p.name));
    }
    doing = 'unloading extensions';
    await resolved.extensions.unload();
    debug?.(`done at ${performance.now().toFixed(1)} ms`);
    return { parts: reports, uninstalled, seconds: round((performance.now() - t0) / 1000) };
  } catch (e) {
    if (e instanceof Interrupted) throw interruptedExit(e, doing);
    throw e;
  } finally {
    await python.session.started()?.then((h) => h.stop(), () => undefined);
    guard.dispose();
    progress.close();
    lock?.release();
  }
}

export function round(s: number): number {
  return Math.round(s * 1000) / 1000;
}

// --- internal ---

// install --plan: the plan on stderr (stdout is --json's), then a question on a terminal.
async function showPlanAndConfirm(resolved: Awaited<ReturnType<typeof resolveInstall>>, o: InstallRunOptions, log: Logger, guard: InterruptGuard): Promise<void> {
  const { reportFor } = await import('./plan/compute.js');
  const { formatPlan } = await import('./plan/format.js');
  const report = await guard.race(reportFor(resolved, { log, resolveDistributions: true }));
  process.stderr.write(formatPlan(report));
  if (o.plan?.yes || !o.interactive) return;
  const { askToProceed } = await import('./confirm.js');
  if (!(await guard.race(askToProceed('Apply this plan? [y/N] ')))) throw new ExitError(1, 'Cancelled: nothing was changed.');
}

// Python logging level from `log-level` (name or number) minus `verbosity` (-v/-q add ±10 to it).
function logLevel(b: Readonly<Record<string, string>>, fallback: number): number {
  const raw = b['log-level'];
  const base = raw === undefined ? LEVELS.INFO : raw in LEVELS ? LEVELS[raw as keyof typeof LEVELS] : Number.parseInt(raw, 10);
  const verbosity = Number.parseInt(b.verbosity ?? '0', 10) || 0;
  const level = base - verbosity;
  return Number.isFinite(level) ? level : fallback;
}

// zc.buildout creates these before installing anything.
function setupDirectories(b: Readonly<Record<string, string>>, log: Logger): void {
  for (const name of ['bin-directory', 'parts-directory', 'develop-eggs-directory']) {
    const d = b[name];
    if (!d || existsSync(d)) continue;
    log.info(`Creating directory '${d}'.`);
    try {
      mkdirSync(d, { recursive: true });
    } catch (e) {
      throw new BuildoutError('UserError', `Could not create ${name} ${d}: ${(e as Error).message}`, { section: 'buildout', option: name });
    }
  }
}

// A directory taken over from zc.buildout records the egg-links of its develop eggs; it
// removes and recreates them on every run. Our develop eggs live in the environment, so
// the old links are removed once and no longer recorded.
function forgetZcDevelopEggs(state: InstalledState, directory: string, log: Logger): void {
  const eggs = state.buildout.installed_develop_eggs ?? '';
  if (!eggs.trim()) return;
  removePaths(eggs.split('\n').filter((l) => l.trim()), directory, log);
  state.buildout.installed_develop_eggs = '';
}
