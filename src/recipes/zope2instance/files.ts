// Writing the recipes' files: never half-written (state/atomic-write.ts does the work),
// parent directories created as needed.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic as replaceAtomically } from '../../state/atomic-write.js';

export function writeFileAtomic(path: string, content: string, mode = 0o644): void {
  mkdirSync(dirname(path), { recursive: true });
  replaceAtomically(path, content, mode);
}

/** mkdir -p; `mode` applies to the directories created here (like os.makedirs(path, mode)). */
export function ensureDir(path: string, mode?: number): void {
  mkdirSync(path, mode === undefined ? { recursive: true } : { recursive: true, mode });
}
