// The plugin of plone.recipe.command: with an update-command the part runs on every
// buildout run, as the Python recipe's update does.
import type { RecipePlugin } from '../types.js';

const hooks: RecipePlugin = {
  name: 'plone.recipe.command',
  load: async () => (await import('./index.js')).default,
  alwaysUpdate: (options) => (options['update-command'] ?? '').trim() !== '',
};

export default hooks;
