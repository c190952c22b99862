// Running one part's recipe for execute.ts: install() or update() with zc.buildout's
// rollback of what the run created, the uninstall hook of a recorded part, and the
// errors a failing recipe becomes.
import { isAbsolute, resolve } from 'node:path';
import { BuildoutError, isBuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Recipe, RecipeContext } from '../recipes/types.js';
import { SIGNATURE_KEY } from '../state/installed.js';
import type { InterruptGuard } from './interrupt.js';
import type { PythonProvider } from './python-env.js';
import { removePaths } from './remove-paths.js';
import type { PartInfo, ResolvedInstall } from './resolve-parts.js';

export interface LoadedPart {
  info: PartInfo;
  recipe: Recipe<any>;
  options: unknown;
  requirements: string[];
}

export interface RecipeRunContext {
  resolved: ResolvedInstall;
  log: Logger;
  guard: InterruptGuard;
  interactive: boolean;
  python: PythonProvider;
}

export interface RunningRecipe {
  /** the paths to record; rejects (after removing what the run created) when the recipe fails or the run is interrupted */
  result: Promise<string[]>;
  /** the recipe's own promise, which an interruption does not stop (settled or not) */
  settled: Promise<unknown>;
}

/** Starts install() or update(); the paths this run created are removed if it fails (zc.buildout's Options._call). */
export function startRecipe(part: LoadedPart, updating: boolean, previous: readonly string[], x: RecipeRunContext): RunningRecipe {
  const { directory, buildout: bo } = x.resolved;
  const name = part.info.name;
  const created: string[] = [];
  const ctx: RecipeContext<any> = {
    part: name,
    options: part.options,
    raw: part.info.raw,
    buildout: bo.reader(name),
    python: () => x.python.get(),
    pythonWith: (extra) => x.python.get(extra),
    created: (...paths: string[]) => void created.push(...paths.map((p) => abs(p, directory))),
    log: x.log,
    interactive: x.interactive,
    offline: bo.buildout.offline === 'true',
  };
  const fn = updating && part.recipe.update ? part.recipe.update : part.recipe.install;
  if (updating && !part.recipe.update) x.log.warn(`The recipe for ${name} doesn't define an update method. Using its install method.`);
  // No spinner while a recipe runs: it may prompt (zope2instance asks for a user), and a
  // spinner would draw over the question. Long installer steps get one (python.get()).
  x.log.debug(`${updating ? 'Updating' : 'Installing'} ${name}.`);
  const own = Promise.resolve().then(() => fn.call(part.recipe, ctx));
  const settled = own.then(
    () => undefined,
    () => undefined,
  );
  const result = (async () => {
    try {
      const returned = await x.guard.race(own);
      const paths = normaliseReturned(returned, name, updating, x.log);
      return unique([...(updating ? previous : []), ...paths.map((p) => abs(p, directory)), ...created]);
    } catch (e) {
      removePaths(created, directory, x.log);
      throw e;
    }
  })();
  return { result, settled };
}

/** Runs the recipe's uninstall hook of a recorded part (zc.buildout.uninstall entry point), if it has one. */
export async function runUninstallHook(part: string, recorded: Readonly<Record<string, string>>, x: Pick<RecipeRunContext, 'resolved' | 'log' | 'guard'>): Promise<void> {
  const spec = recorded.recipe;
  if (!spec) return;
  const { catalog, buildout: bo } = x.resolved;
  await catalog.prepare([spec]);
  let recipe: Recipe<any>;
  try {
    recipe = await catalog.resolve(part, spec, bo.locate(part, 'recipe')).plugin.load();
  } catch {
    // a recipe we do not have (e.g. taken over from zc.buildout): its files are still removed
    x.log.debug(`${part}: no uninstall hook for recipe ${spec}`);
    return;
  }
  if (!recipe.uninstall) return;
  const { [SIGNATURE_KEY]: _sig, ...raw } = recorded;
  x.log.debug(`${part}: running uninstall recipe.`);
  await x.guard.race(recipe.uninstall({ part, raw, buildout: bo.reader(part), log: x.log }));
}

/** A recipe's failure as a BuildoutError with `While: <doing>`; `kept` adds what was kept to the hint. */
export function asPartError(e: unknown, part: string, doing: string, kept?: string): BuildoutError {
  let err: BuildoutError;
  if (isBuildoutError(e)) {
    if (!e.doing.includes(doing)) e.while(doing);
    err = e;
  } else {
    const cause = e instanceof Error ? e : new Error(String(e));
    err = new BuildoutError('RecipeError', `${part}: ${cause.message}`, { cause, doing: [doing], section: part });
    if (cause.stack) err.stack = cause.stack; // -D shows where the recipe failed
  }
  if (!kept) return err;
  const withKept = new BuildoutError(err.code, err.message, { hint: err.hint ? `${err.hint}\n${kept}` : kept, loc: err.loc, section: err.section, option: err.option, doing: err.doing, cause: err.cause });
  withKept.stack = err.stack;
  return withKept;
}

// --- internal ---

function normaliseReturned(returned: unknown, part: string, updating: boolean, log: Logger): string[] {
  if (returned === undefined || returned === null) {
    if (!updating) log.warn(`The ${part} install returned nothing. A list of the paths it created should be returned.`);
    return [];
  }
  if (typeof returned === 'string') return [returned];
  if (Array.isArray(returned) && returned.every((p) => typeof p === 'string')) return returned;
  throw new BuildoutError('RecipeError', `The recipe of part '${part}' returned ${JSON.stringify(returned)} from ${updating ? 'update' : 'install'}; expected a list of paths.`, { section: part });
}

function abs(p: string, directory: string): string {
  return isAbsolute(p) ? p : resolve(directory, p);
}

function unique(paths: string[]): string[] {
  return [...new Set(paths)];
}
