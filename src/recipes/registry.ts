// Maps `recipe = ...` names to built-in recipes. Full recipe modules (zod,
// handlebars) are imported only when a part is installed; light hook modules
// are imported at resolve time.
import type { Recipe, RecipeHooks } from './types.js';

export interface BuiltinRecipe {
  load: () => Promise<{ default: Recipe<any> }>;
  hooks?: () => Promise<{ default: RecipeHooks }>;
}

const eggScripts: BuiltinRecipe = {
  load: () => import('./egg/scripts.js'),
  hooks: () => import('./egg/hooks.js'),
};

export const BUILTIN_RECIPES: Record<string, BuiltinRecipe> = {
  'zc.recipe.egg': eggScripts,
  'zc.recipe.egg:default': eggScripts,
  'zc.recipe.egg:scripts': eggScripts,
  'zc.recipe.egg:script': eggScripts,
  'zc.recipe.egg:eggs': { load: () => import('./egg/eggs.js'), hooks: () => import('./egg/hooks.js') },
  'collective.recipe.template': { load: () => import('./template/index.js'), hooks: () => import('./template/hooks.js') },
  'plone.recipe.command': { load: () => import('./command/index.js'), hooks: () => import('./command/hooks.js') },
  'plone.recipe.zope2instance': { load: () => import('./zope2instance/index.js'), hooks: () => import('./zope2instance/hooks.js') },
  'plone.recipe.zeoserver': { load: () => import('./zeoserver/index.js'), hooks: () => import('./zeoserver/hooks.js') },
  // A trivial recipe used by the lifecycle tests: creates the directories named in `paths`.
  'buildout-ts:mkdir': { load: () => import('./mkdir/index.js'), hooks: () => import('./mkdir/hooks.js') },
};

/** The built-in recipe for a `recipe = ...` value, if there is one. */
export function findBuiltinRecipe(name: string): BuiltinRecipe | undefined {
  return Object.hasOwn(BUILTIN_RECIPES, name) ? BUILTIN_RECIPES[name] : undefined;
}

/** Names of the built-in recipes, for hints. */
export function builtinRecipeNames(): string[] {
  return Object.keys(BUILTIN_RECIPES);
}
