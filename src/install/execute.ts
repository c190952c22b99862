// Running a plan that changes something: load the recipe modules, check every part's
// options, uninstall (reverse order), then install/update part by part. After each
// part, .installed.cfg is replaced atomically, so an interruption at any moment leaves
// a state the next run can repair.
import { isAbsolute, resolve } from 'node:path';
import { BuildoutError, isBuildoutError } from '../errors.js';
import type { Recipe, RecipeContext } from '../recipes/types.js';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { ENV_KEY, SIGNATURE_KEY, type InstalledState } from '../state/installed.js';
import type { Plan } from '../state/plan.js';
import { Interrupted, type InterruptGuard } from './interrupt.js';
import { parseOptions, schemaKeys, unusedOptionsWarning } from './options.js';
import type { PartReport, Progress } from './progress.js';
import { pythonProvider, type PythonProvider } from './python-env.js';
import { removePaths } from './remove-paths.js';
import type { PartInfo, ResolvedInstall } from './resolve-parts.js';

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
}

interface LoadedPart {
  info: PartInfo;
  recipe: Recipe<any>;
  options: unknown;
  requirements: string[];
}

export async function executePlan(x: ExecuteInput): Promise<{ reports: PartReport[]; uninstalled: string[] }> {
  const { resolved, plan, state, progress, guard } = x;
  const { buildout: bo, directory } = resolved;
  const log = progress.log;
  const offline = bo.buildout.offline === 'true';

  // Every recipe is loaded and every part's options checked before anything is removed.
  x.setDoing('loading recipes');
  const loaded = new Map<string, LoadedPart>();
  for (const info of resolved.parts) {
    try {
      const recipe = await guard.race(info.recipe.plugin.load());
      const options = parseOptions(recipe, info.name, info.raw, (opt) => bo.locate(info.name, opt));
      const base = baseContext(info, options);
      const requirements = recipe.requirements ? recipe.requirements(base) : [];
      loaded.set(info.name, { info, recipe, options, requirements });
    } catch (e) {
      if (e instanceof Interrupted) throw e;
      throw asPartError(e, info.name, `Initializing part ${info.name}.`);
    }
  }
  const python = pythonProvider(bo, [...loaded.values()].flatMap((l) => l.requirements), progress, async (label, fn) => {
    const stop = progress.task(label);
    try {
      return await guard.race(fn());
    } finally {
      stop();
    }
  });

  const uninstalled: string[] = [];
  for (const u of plan.uninstall) {
    guard.check();
    x.setDoing(`uninstalling ${u.part}`);
    const t = performance.now();
    const old = state.parts.get(u.part)!;
    await runUninstallHook(u.part, old.options, x).catch((e: unknown) => {
      throw asPartError(e, u.part, `Uninstalling ${u.part}.`);
    });
    removePaths(old.files, directory, log);
    state.parts.delete(u.part);
    state.order = state.order.filter((p) => p !== u.part);
    x.save(state);
    uninstalled.push(u.part);
    const reinstall = plan.steps.some((s) => s.part === u.part);
    if (reinstall) log.debug(`${u.part}: uninstalled (${u.reason})`);
    else progress.part(u.part, 'uninstalled', secs(t), u.reason);
  }

  if (x.envChanged) {
    x.setDoing('preparing the Python environment');
    // A new pin, develop path or interpreter: the environment module brings the environment
    // up to date (it also uninstalls removed develop eggs), if the buildout has one or needs one.
    if (python.needed || existsSync(join(directory, '.buildout', 'venv' /* src/python/environment.ts VENV_DIR */))) await python.get();
    state.buildout[ENV_KEY] = x.envKey;
    x.save(state);
  }

  const reports: PartReport[] = [];
  for (const step of plan.steps) {
    guard.check();
    const t = performance.now();
    if (step.action === 'keep') {
      moveToEnd(state, step.part);
      progress.part(step.part, 'unchanged', 0);
      reports.push({ name: step.part, action: 'unchanged', seconds: 0 });
      continue;
    }
    const part = loaded.get(step.part)!;
    const updating = step.action === 'update';
    x.setDoing(`${updating ? 'updating' : 'installing'} ${step.part}`);
    const previous = updating ? (state.parts.get(step.part)?.files ?? []) : [];
    let files: string[];
    try {
      if (part.requirements.length) await python.get();
      files = await runRecipe(part, updating, previous, x, python);
    } catch (e) {
      if (updating) {
        // zc.buildout: a failed update uninstalls the part, so that the next run installs it afresh.
        removePaths(previous, directory, log);
        state.parts.delete(step.part);
        state.order = state.order.filter((p) => p !== step.part);
      }
      x.save(state);
      if (e instanceof Interrupted) throw e;
      throw asPartError(e, step.part, `${updating ? 'Updating' : 'Installing'} ${step.part}.`);
    }
    state.parts.set(step.part, { options: part.info.recorded, files });
    moveToEnd(state, step.part);
    x.save(state);
    const warning = unusedOptionsWarning(step.part, part.info.written, schemaKeys(part.recipe.schema));
    if (warning) log.warn(warning);
    const action = updating ? 'updated' : 'installed';
    const seconds = secs(t);
    progress.part(step.part, action, seconds, step.reason === 'new part' || updating ? undefined : step.reason);
    reports.push({ name: step.part, action, seconds });
  }
  x.save(state);
  return { reports, uninstalled };

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
      offline,
    };
  }
}

// --- internal ---

// Runs install() or update(); returns every path to record. On failure the paths this
// run created are removed (zc.buildout's Options._call).
async function runRecipe(part: LoadedPart, updating: boolean, previous: string[], x: ExecuteInput, python: PythonProvider): Promise<string[]> {
  const { directory, buildout: bo } = x.resolved;
  const name = part.info.name;
  const created: string[] = [];
  const ctx: RecipeContext<any> = {
    part: name,
    options: part.options,
    raw: part.info.raw,
    buildout: bo.reader(name),
    python: () => python.get(),
    pythonWith: (extra) => python.get(extra),
    created: (...paths: string[]) => void created.push(...paths.map((p) => abs(p, directory))),
    log: x.progress.log,
    interactive: x.interactive,
    offline: bo.buildout.offline === 'true',
  };
  const fn = updating && part.recipe.update ? part.recipe.update : part.recipe.install;
  if (updating && !part.recipe.update) x.progress.log.warn(`The recipe for ${name} doesn't define an update method. Using its install method.`);
  // No spinner while a recipe runs: it may prompt (zope2instance asks for a user), and a
  // spinner would draw over the question. Long installer steps get one (python.get()).
  x.progress.log.debug(`${updating ? 'Updating' : 'Installing'} ${name}.`);
  try {
    const returned = await x.guard.race(Promise.resolve(fn.call(part.recipe, ctx)));
    const paths = normaliseReturned(returned, name, updating, x);
    return unique([...(updating ? previous : []), ...paths.map((p) => abs(p, directory)), ...created]);
  } catch (e) {
    removePaths(created, directory, x.progress.log);
    throw e;
  }
}

async function runUninstallHook(part: string, recorded: Readonly<Record<string, string>>, x: ExecuteInput): Promise<void> {
  const spec = recorded.recipe;
  if (!spec) return;
  const { catalog, buildout: bo } = x.resolved;
  await catalog.prepare([spec]);
  let recipe: Recipe<any>;
  try {
    recipe = await catalog.resolve(part, spec, bo.locate(part, 'recipe')).plugin.load();
  } catch {
    // a recipe we do not have (e.g. taken over from zc.buildout): its files are still removed
    x.progress.log.debug(`${part}: no uninstall hook for recipe ${spec}`);
    return;
  }
  if (!recipe.uninstall) return;
  const { [SIGNATURE_KEY]: _sig, ...raw } = recorded;
  x.progress.log.debug(`${part}: running uninstall recipe.`);
  await x.guard.race(recipe.uninstall({ part, raw, buildout: bo.reader(part), log: x.progress.log }));
}

function normaliseReturned(returned: unknown, part: string, updating: boolean, x: ExecuteInput): string[] {
  if (returned === undefined || returned === null) {
    if (!updating) x.progress.log.warn(`The ${part} install returned nothing. A list of the paths it created should be returned.`);
    return [];
  }
  if (typeof returned === 'string') return [returned];
  if (Array.isArray(returned) && returned.every((p) => typeof p === 'string')) return returned;
  throw new BuildoutError('RecipeError', `The recipe of part '${part}' returned ${JSON.stringify(returned)} from ${updating ? 'update' : 'install'}; expected a list of paths.`);
}

function asPartError(e: unknown, part: string, doing: string): BuildoutError {
  if (isBuildoutError(e)) {
    if (!e.doing.includes(doing)) e.while(doing);
    return e;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  const wrapped = new BuildoutError('RecipeError', `${part}: ${err.message}`, { cause: err, doing: [doing], section: part });
  if (err.stack) wrapped.stack = err.stack; // -D shows where the recipe failed
  return wrapped;
}

function moveToEnd(state: InstalledState, part: string): void {
  state.order = [...state.order.filter((p) => p !== part), part];
}

function abs(p: string, directory: string): string {
  return isAbsolute(p) ? p : resolve(directory, p);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}

function secs(t: number): number {
  return Math.round(performance.now() - t) / 1000;
}
