// `buildout --frozen`: the environment gets exactly what the lock file lists, hash-checked.
// Before anything changes, the lock must cover what the configuration asks of the
// environment (lock/check.ts); otherwise one error names everything it lacks.
import { basename, dirname, relative } from 'node:path';
import { BuildoutError } from '../errors.js';
import { lockProblems } from '../lock/check.js';
import { readLock, type LockedEnvironment } from '../lock/lock-file.js';
import { noLock, type EnvRequest } from './environment-checks.js';

/** The hashed requirements file a frozen install reads, in the installer's work folder. */
export const FROZEN_FILE = 'frozen.txt';

/** The lock's table for the environment at `prefix`, checked against what is asked of it. */
export function lockedFor(lockFile: string, prefix: string, req: EnvRequest, table = basename(prefix)): LockedEnvironment {
  const lock = readLock(lockFile);
  if (!lock) throw noLock(lockFile);
  const env = lock.environments[table];
  const base = dirname(lockFile);
  const develop = req.develop.map((d) => relative(base, d) || '.');
  if (!env) {
    if (req.requirements.length === 0 && develop.length === 0) return { path: relative(base, prefix), resolution: 'universal', requirements: [], develop: [], packages: [] };
    throw new BuildoutError('LockMismatch', `The lock file ${lockFile} has no [${table}] table, but the configuration asks for distributions in ${relative(base, prefix)}: ${[...req.requirements, ...develop].join(', ')}`, {
      hint: 'Run `buildout lock` to write the lock again (and commit it).',
    });
  }
  const problems = lockProblems(env, { requirements: req.requirements, pins: req.pins, develop, developKeys: req.developKeys });
  if (problems.length) {
    throw new BuildoutError('LockMismatch', `The configuration asks for what the lock file ${lockFile} does not have (${env.path}):\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      hint: 'Nothing was changed. Run `buildout lock` to update the lock (then commit it), or undo the change to the configuration.',
    });
  }
  return env;
}
