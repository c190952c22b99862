// Which recipe each `recipe = ...` value names, its light hooks (needed while the
// configuration is resolved, synchronously) and, only when a part really runs, the
// full recipe module (zod, handlebars, ...).
import { BuildoutError, type Loc } from '../errors.js';
import { builtinRecipeNames, findBuiltinRecipe } from '../recipes/registry.js';
import type { Recipe, RecipeHooks } from '../recipes/types.js';
import { loadUserRecipe, UserRecipeError, type LoadedUserRecipe } from '../recipes/user.js';
import { editDistance } from '../config/hints.js';

export type ResolvedRecipe =
  | { kind: 'builtin'; name: string; hooks: RecipeHooks | undefined; load: () => Promise<Recipe<any>> }
  | { kind: 'user'; name: string; hooks: RecipeHooks | undefined; user: LoadedUserRecipe; load: () => Promise<Recipe<any>> };

export class RecipeCatalog {
  private readonly builtinHooks = new Map<string, RecipeHooks | Error>();
  private readonly users = new Map<string, LoadedUserRecipe | UserRecipeError>();

  constructor(private readonly directory: () => string) {}

  /** Imports the hook modules (tiny, no zod/handlebars/execa) of the named built-in recipes, or of all of them. */
  async preloadBuiltinHooks(names: Iterable<string> = builtinRecipeNames()): Promise<void> {
    const loaders = new Map<() => Promise<{ default: RecipeHooks }>, string[]>();
    for (const name of new Set(names)) {
      if (!findBuiltinRecipe(name) || this.builtinHooks.has(name)) continue;
      const hooks = findBuiltinRecipe(name)!.hooks;
      if (hooks) loaders.set(hooks, [...(loaders.get(hooks) ?? []), name]);
    }
    await Promise.all(
      [...loaders].map(async ([load, names]) => {
        // A broken hooks module only matters to parts that use the recipe: keep the error for them.
        const result = await load().then(
          (m) => m.default,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
        for (const n of names) this.builtinHooks.set(n, result);
      }),
    );
  }

  /** Imports the modules of user recipes (their hooks come from the same module). Errors are kept for the parts using them. */
  async preloadUser(specs: Iterable<string>): Promise<void> {
    await Promise.all(
      [...new Set(specs)]
        .filter((s) => !findBuiltinRecipe(s) && !this.users.has(s))
        .map(async (spec) => {
          const r = await loadUserRecipe(spec, this.directory()).catch((e: unknown) => (e instanceof UserRecipeError ? e : new UserRecipeError(String(e))));
          this.users.set(spec, r);
        }),
    );
  }

  /** True when the hooks of this recipe value are available synchronously. */
  isReady(spec: string): boolean {
    return findBuiltinRecipe(spec) ? this.builtinHooks.has(spec) : this.users.has(spec);
  }

  /** The hooks of a recipe value, or undefined (none, not loaded yet, or unknown recipe). Never throws. */
  hooksIfReady(spec: string): RecipeHooks | undefined {
    const b = findBuiltinRecipe(spec) ? this.builtinHooks.get(spec) : undefined;
    if (b) return b instanceof Error ? undefined : b;
    const u = this.users.get(spec);
    return u && !(u instanceof Error) ? u.hooks : undefined;
  }

  /**
   * The recipe a part names. Throws BuildoutError `UnknownRecipe` (with a did-you-mean
   * hint) or `RecipeLoadError`, located at the part's `recipe` option.
   */
  resolve(part: string, spec: string, loc: Loc | undefined): ResolvedRecipe {
    const builtin = findBuiltinRecipe(spec);
    if (builtin) {
      const hooks = this.builtinHooks.get(spec);
      if (hooks instanceof Error) throw new BuildoutError('RecipeLoadError', `Could not load the hooks of recipe '${spec}': ${hooks.message}`, { loc, section: part, option: 'recipe', cause: hooks });
      return { kind: 'builtin', name: spec, hooks, load: async () => (await builtin.load()).default };
    }
    const user = this.users.get(spec);
    if (!user) throw new Error(`recipe '${spec}' was not preloaded`);
    if (user instanceof UserRecipeError) {
      const unknown = user.message.startsWith('Unknown recipe');
      throw new BuildoutError(unknown ? 'UnknownRecipe' : 'RecipeLoadError', `${user.message} in part '${part}'`, {
        loc,
        section: part,
        option: 'recipe',
        hint: unknown ? unknownRecipeHint(spec) : user.hint,
        cause: user.cause,
      });
    }
    return { kind: 'user', name: spec, hooks: user.hooks, user, load: async () => user.recipe as Recipe<any> };
  }
}

/** "Did you mean ...?" plus the list of built-in recipes and how to name one's own. */
export function unknownRecipeHint(spec: string): string {
  const names = builtinRecipeNames().filter((n) => n !== 'buildout-ts:mkdir');
  const best = names
    .map((n) => ({ n, d: editDistance(spec.toLowerCase(), n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  const close = best && best.d <= Math.max(2, Math.floor(spec.length / 4)) ? `Did you mean '${best.n}'? ` : '';
  return `${close}Built-in recipes: ${names.join(', ')}. A recipe of your own is a module path (./recipes/name.mjs) or an npm package installed for the buildout directory.`;
}
