// Where the lock file of a configuration lives: beside it, named after it
// (buildout.cfg → buildout.lock, examples/bjoern.cfg → examples/bjoern.lock), so that
// several configurations in one folder each have their own.
import { basename, dirname, join, resolve } from 'node:path';

export function lockFileFor(configFile: string): string {
  const abs = resolve(configFile);
  return join(dirname(abs), `${basename(abs).replace(/\.cfg$/i, '')}.lock`);
}
