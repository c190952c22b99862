// Running a plan that changes something, so that a failure never leaves a site without its
// files: load the recipe modules and check every part's options; bring the Python
// environment up to date (nothing set aside yet); set removed parts aside; then part by
// part: a changed part's previous installation is set aside (swap.ts) just before its
// recipe runs, deleted once the new one is recorded, and put back if the recipe fails.
// Removed parts are deleted only when every part succeeded. .installed.cfg is replaced
// atomically after each part, and the journal lets the next run finish or undo a killed one.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ENV_KEY, type InstalledPart, type InstalledState } from '../state/installed.js';
import type { PartTransaction } from '../state/journal.js';
import type { Plan, PlanStep } from '../state/plan.js';
import { Interrupted, type InterruptGuard } from './interrupt.js';
import { parseOptions, schemaKeys, unusedOptionsWarning } from './options.js';
import type { PartReport, Progress } from './progress.js';
import { environmentDevelop, pythonProvider } from './python-env.js';
import { ownedByOthers } from './repair.js';
import { asPartError, runUninstallHook, startRecipe, type LoadedPart, type RecipeRunContext } from './run-recipe.js';
import type { PartInfo, ResolvedInstall } from './resolve-parts.js';
import { PartSwaps } from './swap.js';
import { pauseAt } from './test-pause.js';
import type { RecipeContext } from '../recipes/types.js';

export interface ExecuteInput {
  resolved: ResolvedInstall;
  plan: Plan;
  /** modified in place and saved after each step */
  state: InstalledState;
  /** fingerprint of the environment's inputs (envFingerprint), recorded once the environment has them */
  envKey: string;
  envChanged: boolean;
  progress: Progress;
  guard: InterruptGuard;
  interactive: boolean;
  save: (state: InstalledState) => unknown;
  setDoing: (what: string) => void;
  /** stops the processes a recipe may be waiting on (the Python host), after an interruption */
  stopChildren?: () => Promise<void>;
}

export async function executePlan(x: ExecuteInput): Promise<{ reports: PartReport[]; uninstalled: string[] }> {
  const { resolved, plan, state, progress, guard } = x;
  const { buildout: bo, directory } = resolved;
  const log = progress.log;

  // Every recipe is loaded and every part's options checked before anything is touched.
  x.setDoing('loading recipes');
  const loaded = new Map<string, LoadedPart>();
  for (const info of resolved.parts) {
    try {
      const recipe = await guard.race(info.recipe.plugin.load());
      const options = parseOptions(recipe, info.name, info.raw, (opt) => bo.locate(info.name, opt));
      const requirements = recipe.requirements ? recipe.requirements(baseContext(info, options)) : [];
      loaded.set(info.name, { info, recipe, options, requirements });
    } catch (e) {
      if (e instanceof Interrupted) throw e;
      throw asPartError(e, info.name, `Initializing part ${info.name}.`);
    }
  }
  const python = pythonProvider(bo, [...loaded.values()].flatMap((l) => l.requirements), environmentDevelop(resolved, log), progress, async (label, fn) => {
    const stop = progress.task(label);
    try {
      return await guard.race(fn());
    } finally {
      stop();
    }
  });
  const run: RecipeRunContext = { resolved, log, guard, interactive: x.interactive, python };

  // The environment first, while every part is still in place: a failed or killed install
  // of distributions leaves the site as it was. (A new pin, develop path or interpreter
  // reaches the environment even when no part needs it; it also uninstalls removed develop eggs.)
  const changing = plan.steps.filter((s) => s.action !== 'keep');
  const envBefore = state.buildout[ENV_KEY];
  if (x.envChanged || changing.some((s) => loaded.get(s.part)!.requirements.length > 0)) {
    x.setDoing('preparing the Python environment');
    if (!x.envChanged || python.needed || existsSync(join(directory, '.buildout', 'venv' /* src/python/environment.ts VENV_DIR */))) await python.get();
  }
  if (x.envChanged) {
    state.buildout[ENV_KEY] = x.envKey;
    x.save(state);
  }

  await checkGeneratedFiles();

  const swaps = new PartSwaps(directory, log);
  const uninstalled: string[] = [];
  const reports: PartReport[] = [];
  try {
    // Parts no longer wanted: set aside now (their paths may be taken by new parts), deleted at the end.
    for (const u of plan.uninstall.filter((u) => !plan.steps.some((s) => s.part === u.part))) {
      guard.check();
      x.setDoing(`uninstalling ${u.part}`);
      const t = performance.now();
      const old = state.parts.get(u.part)!;
      await runUninstallHook(u.part, old.options, run).catch((e: unknown) => {
        throw asPartError(e, u.part, `Uninstalling ${u.part}.`);
      });
      setAside(u.part, 'remove', old);
      uninstalled.push(u.part);
      progress.part(u.part, 'uninstalled', secs(t), u.reason);
    }
    if (uninstalled.length) pauseAt('removals-aside');

    for (const step of plan.steps) {
      guard.check();
      if (step.action === 'keep') {
        moveToEnd(state, step.part);
        progress.part(step.part, 'unchanged', 0);
        reports.push({ name: step.part, action: 'unchanged', seconds: 0 });
        continue;
      }
      reports.push(step.action === 'update' ? await updatePart(step, loaded.get(step.part)!) : await installPart(step, loaded.get(step.part)!));
    }

    // Every part succeeded: the removed ones are forgotten, then their old files deleted.
    const removals = swaps.pending('remove');
    for (const tx of removals) {
      state.parts.delete(tx.part);
      state.order = state.order.filter((p) => p !== tx.part);
    }
    x.save(state);
    for (const tx of removals) swaps.commit(tx);
  } catch (e) {
    await putBackRemovedParts(e);
    throw e;
  }
  x.save(state);
  return { reports, uninstalled };

  async function installPart(step: PlanStep, part: LoadedPart): Promise<PartReport> {
    const t = performance.now();
    const old = state.parts.get(step.part);
    let tx: PartTransaction | undefined;
    if (old) {
      x.setDoing(`uninstalling ${step.part}`);
      await runUninstallHook(step.part, old.options, run).catch((e: unknown) => {
        throw asPartError(e, step.part, `Uninstalling ${step.part}.`);
      });
      tx = setAside(step.part, 'replace', old);
      uninstalled.push(step.part);
      log.debug(`${step.part}: uninstalled (${step.reason})`);
    }
    x.setDoing(`installing ${step.part}`);
    const running = startRecipe(part, false, [], run);
    let files: string[];
    try {
      files = await running.result;
    } catch (e) {
      const kept = tx ? await putBack(tx, running.settled, e) : undefined;
      if (e instanceof Interrupted) throw e;
      throw asPartError(e, step.part, `Installing ${step.part}.`, kept);
    }
    pauseAt(`installed:${step.part}`);
    state.parts.set(step.part, { options: part.info.recorded, files });
    moveToEnd(state, step.part);
    x.save(state);
    if (tx) swaps.commit(tx);
    const warning = unusedOptionsWarning(step.part, part.info.written, schemaKeys(part.recipe.schema));
    if (warning) log.warn(warning);
    const seconds = secs(t);
    progress.part(step.part, 'installed', seconds, step.reason === 'new part' ? undefined : step.reason);
    return { name: step.part, action: 'installed', seconds };
  }

  // An unchanged part whose recipe updates on every run (or a Python part after an
  // environment change). Its files are changed in place; when update() fails they stay as
  // they are, and so does its record (zc.buildout uninstalls the part instead).
  async function updatePart(step: PlanStep, part: LoadedPart): Promise<PartReport> {
    const t = performance.now();
    x.setDoing(`updating ${step.part}`);
    const previous = state.parts.get(step.part)?.files ?? [];
    const running = startRecipe(part, true, previous, run);
    let files: string[];
    try {
      files = await running.result;
    } catch (e) {
      if (x.envChanged) {
        // the next run sees the environment change again, and so updates the part again
        if (envBefore === undefined) delete state.buildout[ENV_KEY];
        else state.buildout[ENV_KEY] = envBefore;
        x.save(state);
      }
      if (e instanceof Interrupted) throw e;
      throw asPartError(e, step.part, `Updating ${step.part}.`, `The part ${step.part} was left as its update found it, and its record in .installed.cfg is unchanged: the next run updates it again.`);
    }
    state.parts.set(step.part, { options: part.info.recorded, files });
    moveToEnd(state, step.part);
    x.save(state);
    const seconds = secs(t);
    progress.part(step.part, 'updated', seconds);
    return { name: step.part, action: 'updated', seconds };
  }

  function setAside(part: string, kind: PartTransaction['kind'], old: InstalledPart): PartTransaction {
    try {
      return swaps.begin(part, kind, old, ownedByOthers(state, part));
    } catch (e) {
      // e.g. a recorded path outside the buildout that cannot be renamed (permissions)
      throw asPartError(e, part, `Uninstalling ${part}.`, `The previous installation of part ${part} was kept: nothing was changed.`);
    }
  }

  // The recipe of a replaced part failed (or the run was interrupted): its previous
  // installation comes back. After an interruption the recipe may still be running: its
  // processes are stopped and it gets a moment to settle before the files are put back.
  async function putBack(tx: PartTransaction, settled: Promise<unknown>, e: unknown): Promise<string> {
    if (e instanceof Interrupted) {
      await x.stopChildren?.().catch(() => undefined);
      await Promise.race([settled, new Promise((r) => setTimeout(r, 1000).unref())]);
    }
    const lost = swaps.rollback(tx, ownedByOthers(state, tx.part));
    const note = `The previous installation of part ${tx.part} was kept: its files are back in place and .installed.cfg still records it${lost.length ? ` (not put back: ${lost.join(', ')})` : ''}.`;
    if (e instanceof Interrupted) log.warn(note);
    return note;
  }

  async function putBackRemovedParts(e: unknown): Promise<void> {
    const open = swaps.pending('remove');
    if (!open.length) return;
    for (const tx of [...open].reverse()) swaps.rollback(tx, ownedByOthers(state, tx.part));
    x.save(state);
    const names = open.map((t) => t.part).join(', ');
    log.warn(`The part${open.length > 1 ? 's' : ''} ${names}, removed from the configuration, ${open.length > 1 ? 'were' : 'was'} kept${e instanceof Interrupted ? '' : ' because the run failed'}: ${open.length > 1 ? 'they are' : 'it is'} removed by the next successful run.`);
  }

  // The configuration files built-in recipes generate are rendered in memory first: a
  // template that cannot be rendered stops the run while every part is still in place.
  async function checkGeneratedFiles(): Promise<void> {
    const steps = changing.filter((s) => s.action === 'install' && loaded.get(s.part)!.info.recipe.kind === 'builtin');
    if (!steps.length) return;
    const { previewerFor } = await import('./preview/index.js');
    const { liveEnvironment } = await import('./preview/environment.js');
    for (const step of steps) {
      const part = loaded.get(step.part)!;
      const preview = await previewerFor(part.info.recipe.name);
      if (!preview) continue;
      x.setDoing(`checking ${step.part}`);
      try {
        const env = liveEnvironment(part.requirements.length ? await python.get() : undefined);
        await guard.race(preview({ part: step.part, options: part.options, raw: part.info.raw, buildout: bo.reader(step.part), env }));
      } catch (e) {
        if (e instanceof Interrupted) throw e;
        const kept = state.parts.has(step.part) ? `The previous installation of part ${step.part} was kept: nothing was changed.` : undefined;
        throw asPartError(e, step.part, `Installing ${step.part}.`, kept);
      }
    }
  }

  function baseContext(info: PartInfo, options: unknown): Omit<RecipeContext<any>, 'python'> {
    return {
      part: info.name,
      options,
      raw: info.raw,
      buildout: bo.reader(info.name),
      created: () => {
        throw new TypeError(`Attempt to register a created path while not installing ${info.name}`);
      },
      log,
      interactive: x.interactive,
      offline: bo.buildout.offline === 'true',
    };
  }
}

// --- internal ---

function moveToEnd(state: InstalledState, part: string): void {
  state.order = [...state.order.filter((p) => p !== part), part];
}

function secs(t: number): number {
  return Math.round(performance.now() - t) / 1000;
}
