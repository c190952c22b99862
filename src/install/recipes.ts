// Which RecipePlugin each `recipe = ...` value names: a built-in recipe (registry.ts), a
// recipe module of the user's (`./recipes/x.mjs`, an npm package installed for the
// buildout), or else a Python recipe from PyPI, find-links or a develop egg
// (`dist[:entry]`, run by our Python host). Plugins are imported ahead (`prepare`) so that
// materialisation can use them synchronously; a failure to load is kept for the parts
// that use the recipe.
import { BuildoutError, type Loc } from '../errors.js';
import { builtinRecipeNames, findBuiltinRecipe } from '../recipes/registry.js';
import type { RecipePlugin } from '../recipes/types.js';
import { isPathSpec, loadUserRecipe, parseUserRecipeSpec, resolveUserRecipe, UserRecipeError } from '../recipes/user.js';
import { editDistance } from '../config/hints.js';

export type RecipeKind = 'builtin' | 'user' | 'python';

export interface ResolvedRecipe {
  kind: RecipeKind;
  /** the `recipe = ...` value */
  name: string;
  plugin: RecipePlugin;
  /** a user recipe's module file (its size and mtime go into the part's signature) */
  file?: string;
}

/** Makes the plugin of a Python recipe (src/install/python-recipes/). */
export type PythonPluginFactory = (spec: string) => RecipePlugin;

export class RecipeCatalog {
  private readonly loaded = new Map<string, ResolvedRecipe | Error>();

  constructor(
    private readonly directory: () => string,
    /** Python recipes; without it a recipe that is neither built in nor a module is unknown */
    private readonly python?: PythonPluginFactory,
  ) {}

  /** Imports the plugins of these recipe values (built-in hook modules, user modules). Never throws. */
  async prepare(specs: Iterable<string>): Promise<void> {
    await Promise.all([...new Set(specs)].filter((s) => !this.loaded.has(s)).map((s) => this.load(s)));
  }

  /** Imports the plugin of one recipe value; a failure is kept for the parts using it. */
  async load(spec: string): Promise<void> {
    if (this.loaded.has(spec)) return;
    this.loaded.set(spec, await this.find(spec).catch((e: unknown) => (e instanceof Error ? e : new Error(String(e)))));
  }

  /** The plugin when it is at hand; undefined while not loaded or when it failed to load. */
  ready(spec: string): ResolvedRecipe | undefined | 'missing' {
    const r = this.loaded.get(spec);
    if (r === undefined) return 'missing';
    return r instanceof Error ? undefined : r;
  }

  /**
   * The recipe a part names (its plugin loaded). Throws BuildoutError `UnknownRecipe` (with
   * a did-you-mean hint) or `RecipeLoadError`, located at the part's `recipe` option.
   */
  resolve(part: string, spec: string, loc: Loc | undefined): ResolvedRecipe {
    const r = this.loaded.get(spec);
    if (r === undefined) throw new Error(`recipe '${spec}' was not prepared`);
    if (!(r instanceof Error)) return r;
    if (r instanceof BuildoutError) throw new BuildoutError(r.code, r.message, { loc, section: part, option: 'recipe', hint: r.hint, cause: r.cause });
    const unknown = r.message.startsWith('Unknown recipe');
    const user = r instanceof UserRecipeError;
    throw new BuildoutError(unknown ? 'UnknownRecipe' : 'RecipeLoadError', user ? `${r.message} in part '${part}'` : `Could not load the hooks of recipe '${spec}': ${r.message}`, {
      loc,
      section: part,
      option: 'recipe',
      hint: unknown ? unknownRecipeHint(spec) : user ? r.hint : undefined,
      cause: user ? r.cause : r,
    });
  }

  // --- internal ---

  private async find(spec: string): Promise<ResolvedRecipe> {
    const builtin = findBuiltinRecipe(spec);
    if (builtin) return { kind: 'builtin', name: spec, plugin: await builtin() };
    const ref = parseUserRecipeSpec(spec);
    // a module of the user's: a path, or an npm package installed for the buildout directory
    if (ref.isPath || !this.python || resolveUserRecipe(ref, this.directory())) {
      const user = await loadUserRecipe(spec, this.directory());
      return { kind: 'user', name: spec, file: user.file, plugin: { ...user.hooks, name: spec, load: async () => user.recipe } };
    }
    return { kind: 'python', name: spec, plugin: this.python(spec) };
  }
}

/** True when a recipe value can only name a module (a path), never a Python distribution. */
export function isModuleSpec(spec: string): boolean {
  return isPathSpec(parseUserRecipeSpec(spec).module);
}

/** "Did you mean ...?" plus the list of built-in recipes and how to name one's own. */
export function unknownRecipeHint(spec: string): string {
  const names = builtinRecipeNames().filter((n) => n !== 'buildout-ts:mkdir');
  const best = names
    .map((n) => ({ n, d: editDistance(spec.toLowerCase(), n.toLowerCase()) }))
    .sort((a, b) => a.d - b.d)[0];
  const close = best && best.d <= Math.max(2, Math.floor(spec.length / 4)) ? `Did you mean '${best.n}'? ` : '';
  return `${close}Built-in recipes: ${names.join(', ')}. A recipe of your own is a module path (./recipes/name.mjs) or an npm package installed for the buildout directory; any other name is looked up as a Python recipe (a distribution on the index, in find-links or a develop egg).`;
}
