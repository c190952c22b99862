// `buildout lock [--check] [--upgrade]`: the lock file beside the configuration, with the
// exact distributions of the buildout's environments (src/lock, src/python/lock-environment.ts).
// Nothing is installed; the file is replaced atomically, and only when it changes.
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { CommandContext } from '../context.js';
import type { LockedEnvironment, LockFile } from '../../lock/lock-file.js';

export async function run(ctx: CommandContext): Promise<number> {
  const [{ collectLockTargets }, { lockFileFor }, { formatLock, readLock }] = await Promise.all([import('../../lock/collect.js'), import('../../lock/paths.js'), import('../../lock/lock-file.js')]);
  const { buildout, targets } = await collectLockTargets(ctx.load, ctx.log);
  const file = lockFileFor(buildout.configFile);
  const previous = readLock(file);

  if (ctx.flags.check === true) {
    const [{ lockedFor }, { envRequest }] = await Promise.all([import('../../python/frozen.js'), import('../../python/environment-checks.js')]);
    for (const t of targets) lockedFor(file, t.spec.prefix, envRequest(t.spec.requirements, t.spec.versions, t.spec.develop), t.table);
    ctx.log.info(`${basename(file)} covers the configuration.`);
    return 0;
  }

  const { lockEnvironment } = await import('../../python/lock-environment.js');
  const { acquireLock, lockTimeoutMs } = await import('../../state/lock.js');
  const directory = buildout.buildout.directory ?? ctx.cwd;
  // one run per buildout directory: the installer's work folders are shared with install
  const runLock = await acquireLock(directory, { timeoutMs: lockTimeoutMs(), log: ctx.log });
  try {
    const next: LockFile = { environments: {} };
    for (const t of targets) {
      const before = previous?.environments[t.table];
      next.environments[t.table] = await lockEnvironment(t.spec, { ...(before ? { previous: before } : {}), upgrade: ctx.flags.upgrade === true, relativeTo: dirname(file) });
    }
    const { packageVersion } = await import('../../package-root.js');
    const text = formatLock(next, { tool: `buildout-ts ${packageVersion()}`, config: basename(buildout.configFile) });
    if (read(file) === text) {
      ctx.log.info(`${basename(file)} is up to date.`);
      return 0;
    }
    const { writeFileAtomic } = await import('../../state/atomic-write.js');
    writeFileAtomic(file, text);
    for (const [table, env] of Object.entries(next.environments)) {
      const changes = describeChanges(previous?.environments[table], env);
      ctx.log.info(`${table} (${env.path}): ${env.packages.length} distributions, ${env.resolution}${changes.length ? '' : ', unchanged'}`);
      for (const c of changes) ctx.log.info(`  ${c}`);
    }
    ctx.log.info(`Wrote ${file}`);
    return 0;
  } finally {
    runLock.release();
  }
}

/** `+ name 1.0`, `- name 1.0`, `~ name 1.0 -> 1.1` lines between two locks of an environment. */
export function describeChanges(before: LockedEnvironment | undefined, after: LockedEnvironment): string[] {
  const versions = (env: LockedEnvironment | undefined) => {
    const m = new Map<string, string[]>();
    for (const p of env?.packages ?? []) m.set(p.name, [...(m.get(p.name) ?? []), p.version]);
    return m;
  };
  const a = versions(before);
  const b = versions(after);
  const out: string[] = [];
  for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const was = a.get(name)?.join(', ');
    const now = b.get(name)?.join(', ');
    if (was === now) continue;
    out.push(was === undefined ? `+ ${name} ${now}` : now === undefined ? `- ${name} ${was}` : `~ ${name} ${was} -> ${now}`);
  }
  return out;
}

function read(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
