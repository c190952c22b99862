// Resolve-time hooks of plone.recipe.command: with an update-command the part
// runs on every buildout run, as the Python recipe's update does.
import type { RecipeHooks } from '../types.js';

const hooks: RecipeHooks = {
  alwaysUpdate: (options) => (options['update-command'] ?? '').trim() !== '',
};

export default hooks;
