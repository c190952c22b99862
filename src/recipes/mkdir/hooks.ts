// The plugin of buildout-ts:mkdir (loaded at resolve time: node built-ins only).
import { join, resolve } from 'node:path';
import type { RecipePlugin } from '../types.js';

const hooks: RecipePlugin = {
  name: 'buildout-ts:mkdir',
  load: async () => (await import('./index.js')).default,
  // Like most Python recipes, the part gets a `location` under parts-directory that others can reference.
  computeOptions: ({ part, buildout }) => {
    const o = buildout.options;
    return { location: join(resolve(o.directory ?? '.', o['parts-directory'] ?? 'parts'), part) };
  },
};

export default hooks;
