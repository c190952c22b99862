// The built-in recipes: `recipe = ...` names → their RecipePlugin (types.ts). A plugin
// module (`hooks.ts`) is light (no zod, handlebars or execa) and imported when a
// configuration names the recipe; it imports the full recipe module itself, only when a
// part really runs. To add a recipe: a folder with hooks.ts and index.ts, and one line here.
import type { RecipePlugin } from './types.js';

export type PluginLoader = () => Promise<RecipePlugin>;

const eggScripts: PluginLoader = async () => (await import('./egg/hooks.js')).scriptsPlugin;

export const BUILTIN_RECIPES: Readonly<Record<string, PluginLoader>> = {
  'zc.recipe.egg': eggScripts,
  'zc.recipe.egg:default': eggScripts,
  'zc.recipe.egg:scripts': eggScripts,
  'zc.recipe.egg:script': eggScripts,
  'zc.recipe.egg:eggs': async () => (await import('./egg/hooks.js')).eggsPlugin,
  'zc.recipe.egg:develop': async () => (await import('./egg/hooks.js')).developPlugin,
  'collective.recipe.template': async () => (await import('./template/hooks.js')).default,
  'plone.recipe.command': async () => (await import('./command/hooks.js')).default,
  'plone.recipe.zope2instance': async () => (await import('./zope2instance/hooks.js')).default,
  'plone.recipe.zeoserver': async () => (await import('./zeoserver/hooks.js')).default,
  'zc.recipe.testrunner': async () => (await import('./testrunner/hooks.js')).default,
  // scale-out: a balancer in front of the instances, and the control of the whole site
  'buildout-ts:haproxy': async () => (await import('./haproxy/hooks.js')).default,
  'buildout-ts:site': async () => (await import('./site/hooks.js')).default,
  // A trivial recipe used by the lifecycle tests: creates the directories named in `paths`.
  'buildout-ts:mkdir': async () => (await import('./mkdir/hooks.js')).default,
};

/** The plugin loader of a built-in recipe, if `name` is one. */
export function findBuiltinRecipe(name: string): PluginLoader | undefined {
  return Object.hasOwn(BUILTIN_RECIPES, name) ? BUILTIN_RECIPES[name] : undefined;
}

/** Names of the built-in recipes, for hints. */
export function builtinRecipeNames(): string[] {
  return Object.keys(BUILTIN_RECIPES);
}
