// Python recipes' plugins for the recipe catalog (src/install/recipes.ts): for commands
// that only resolve (no host: recorded constructor results only), and for install.
import type { PythonPluginFactory } from '../recipes.js';
import { PythonRecipes, type InstallHooks } from './session.js';

/** annotate --json, query, check: never starts a process. */
export function resolvePythonPlugins(_cwd?: string): PythonPluginFactory {
  const session = new PythonRecipes();
  return (spec) => session.plugin(spec);
}

/** install: the session whose host is started when a Python constructor or part must run. */
export function installPythonPlugins(hooks: InstallHooks): { session: PythonRecipes; factory: PythonPluginFactory } {
  const session = new PythonRecipes(hooks);
  return { session, factory: (spec) => session.plugin(spec) };
}
