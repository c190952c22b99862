// Finds a program on PATH without starting a process (the one PATH search of the tool).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, resolve } from 'node:path';

/** The first executable regular file called `name` in the directories of `path`. */
export function findOnPath(name: string, path: string | undefined): string | undefined {
  for (const dir of (path ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = resolve(dir, name);
    if (isExecutableFile(p)) return p;
  }
  return undefined;
}

export function isExecutableFile(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return statSync(p).isFile();
  } catch {
    return false;
  }
}
