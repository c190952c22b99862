// Built-in extensions: `extensions =` names → their module (default export: Extension).
// They come before Python extensions of the same name.
import type { Extension } from './types.js';

export const BUILTIN_EXTENSIONS: Readonly<Record<string, () => Promise<{ default: Extension }>>> = {
  // mr.developer (issue 9 item 5) registers here, its module being ./mr-developer/index.ts
};

export function findBuiltinExtension(name: string): (() => Promise<{ default: Extension }>) | undefined {
  return Object.hasOwn(BUILTIN_EXTENSIONS, name) ? BUILTIN_EXTENSIONS[name] : undefined;
}
