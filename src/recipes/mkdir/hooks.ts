// Light hooks of buildout-ts:mkdir (loaded at resolve time: node built-ins only).
import { join, resolve } from 'node:path';
import type { RecipeHooks } from '../types.js';

const hooks: RecipeHooks = {
  // Like most Python recipes, the part gets a `location` under parts-directory that others can reference.
  computeOptions: ({ part, buildout }) => {
    const o = buildout.options;
    return { location: join(resolve(o.directory ?? '.', o['parts-directory'] ?? 'parts'), part) };
  },
};

export default hooks;
