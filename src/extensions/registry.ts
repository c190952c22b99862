// Built-in extensions: `extensions =` names → their module (default export: Extension).
// They come before Python extensions of the same name.
import type { Extension } from './types.js';

export const BUILTIN_EXTENSIONS: Readonly<Record<string, () => Promise<{ default: Extension }>>> = {
  // mr.developer, natively: sources, auto-checkout, develop eggs, bin/develop
  'mr.developer': () => import('./mr-developer/index.js'),
};

export function findBuiltinExtension(name: string): (() => Promise<{ default: Extension }>) | undefined {
  return Object.hasOwn(BUILTIN_EXTENSIONS, name) ? BUILTIN_EXTENSIONS[name] : undefined;
}
