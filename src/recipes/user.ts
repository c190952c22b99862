// A user's own recipe: `recipe = ./recipes/foo.mjs` (a module path relative to the
// buildout directory) or `recipe = some-npm-package[:export]` (resolved from the
// buildout directory the way Node resolves imports). The module's default export
// (or the named export) is a Recipe; an optional `hooks` export (or `<export>Hooks`
// for a named export) holds its RecipeHooks.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Recipe, RecipeHooks } from './types.js';

export interface UserRecipeRef {
  /** the `recipe = ...` value */
  spec: string;
  /** the module specifier: a path or a package name */
  module: string;
  /** the export holding the recipe */
  exportName: string;
  isPath: boolean;
}

export interface LoadedUserRecipe {
  ref: UserRecipeRef;
  /** absolute file of the module (its size and mtime go into the part's signature) */
  file: string;
  recipe: Recipe<unknown>;
  hooks: RecipeHooks | undefined;
}

/** Why a user recipe could not be loaded; the caller adds the part and its location. */
export class UserRecipeError extends Error {
  override readonly name = 'UserRecipeError';
  constructor(
    message: string,
    readonly hint?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for values that name a module file rather than a package. */
export function isPathSpec(spec: string): boolean {
  return spec.startsWith('./') || spec.startsWith('../') || isAbsolute(spec);
}

export function parseUserRecipeSpec(spec: string): UserRecipeRef {
  // `name:export`; for paths only an identifier after the last colon counts (C:\ stays a path).
  const m = /^(.*?):([A-Za-z_$][\w$]*)$/.exec(spec);
  const [module, exportName] = m && m[1] ? [m[1], m[2]!] : [spec, 'default'];
  return { spec, module, exportName, isPath: isPathSpec(module) };
}

/** Finds the module file of a user recipe, or undefined when there is none. */
export function resolveUserRecipe(ref: UserRecipeRef, directory: string): string | undefined {
  if (ref.isPath) {
    const file = resolve(directory, ref.module);
    return existsSync(file) ? file : undefined;
  }
  if (!/^(@[\w.-]+\/)?[\w.-]+(\/[\w./-]+)?$/.test(ref.module)) return undefined;
  const req = createRequire(join(directory, 'buildout.cfg'));
  try {
    return req.resolve(ref.module);
  } catch {
    // ESM-only packages have no `require` condition: read their package.json ourselves.
    return resolveEsmPackage(ref.module, directory);
  }
}

/** Imports a user recipe module and checks that it exports a recipe. Throws UserRecipeError. */
export async function loadUserRecipe(spec: string, directory: string): Promise<LoadedUserRecipe> {
  const ref = parseUserRecipeSpec(spec);
  const file = resolveUserRecipe(ref, directory);
  if (!file) {
    throw new UserRecipeError(
      ref.isPath ? `Recipe module ${ref.module} not found (looked for ${resolve(directory, ref.module)})` : `Unknown recipe '${spec}'`,
    );
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UserRecipeError(`Could not load recipe module ${file}: ${(e as Error).message}`, undefined, { cause: e });
  }
  const recipe = mod[ref.exportName];
  const problem = recipeProblem(recipe);
  if (problem) {
    throw new UserRecipeError(
      `${file} does not export a recipe as ${ref.exportName === 'default' ? 'its default export' : `'${ref.exportName}'`}: ${problem}`,
      'A recipe is an object with a `name`, an async `install(ctx)` returning the created paths, and usually a zod `schema` of its options.',
    );
  }
  const hooks = (ref.exportName === 'default' ? mod.hooks : mod[`${ref.exportName}Hooks`]) as RecipeHooks | undefined;
  return { ref, file, recipe: recipe as Recipe<unknown>, hooks: hooks && typeof hooks === 'object' ? hooks : undefined };
}

// --- internal ---

function recipeProblem(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return `got ${value === null ? 'null' : typeof value}`;
  const r = value as Partial<Recipe<unknown>>;
  if (typeof r.install !== 'function') return 'it has no install() function';
  if (r.schema !== undefined && typeof (r.schema as { safeParse?: unknown }).safeParse !== 'function') return 'its schema has no safeParse() (use a zod schema)';
  return undefined;
}

// Walks up node_modules folders like Node does and picks the package's import entry.
function resolveEsmPackage(specifier: string, directory: string): string | undefined {
  const parts = specifier.split('/');
  const pkgName = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = '.' + specifier.slice(pkgName.length);
  for (let dir = directory; ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', pkgName);
    const pkgJson = join(pkgDir, 'package.json');
    if (existsSync(pkgJson)) {
      const pkg = JSON.parse(readFileSync(pkgJson, 'utf8')) as { exports?: unknown; main?: string; module?: string };
      const target = exportTarget(pkg.exports, subpath) ?? (subpath === '.' ? (pkg.module ?? pkg.main ?? 'index.js') : subpath);
      const file = resolve(pkgDir, target);
      return existsSync(file) ? file : undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  if (exports === undefined || exports === null) return undefined;
  if (typeof exports === 'string') return subpath === '.' ? exports : undefined;
  if (Array.isArray(exports)) {
    for (const e of exports) {
      const t = exportTarget(e, subpath);
      if (t) return t;
    }
    return undefined;
  }
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length && keys.every((k) => k.startsWith('.'))) return pickCondition(map[subpath]);
  return subpath === '.' ? pickCondition(map) : undefined;
}

function pickCondition(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  if (!entry || typeof entry !== 'object') return undefined;
  const map = entry as Record<string, unknown>;
  for (const cond of ['node', 'import', 'default']) if (cond in map) return pickCondition(map[cond]);
  return undefined;
}
