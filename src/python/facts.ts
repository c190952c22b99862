// STUB (owned by the conditions work): facts about an interpreter, cached by path and mtime.
import type { PythonFacts } from './types.js';

export async function getPythonFacts(executable: string): Promise<PythonFacts> {
  throw new Error(`getPythonFacts(${executable}): not implemented yet`);
}
