// Does the lock cover what the configuration asks of an environment? `buildout --frozen`
// asks this before it changes anything, and `buildout lock --check` for CI. The answer
// names each thing the lock lacks: a requirement (egg) it was not made for, a version
// it does not satisfy, a [versions] pin it contradicts, a develop egg it does not list.
import { parseSpecifier, specifierContains, type SpecOp } from '../config/conditions/pep440.js';
import { normaliseName, parseRequirement, type VersionPin } from '../python/requirements.js';
import type { LockedEnvironment } from './lock-file.js';

export interface LockQuestion {
  /** requirement strings of the environment, e.g. `Plone`, `Zope[wsgi]`, `waitress>=3` */
  requirements: readonly string[];
  /** the [versions] pins by normalised name */
  pins: ReadonlyMap<string, VersionPin>;
  /** develop eggs as the lock records them (relative paths) */
  develop: readonly string[];
  /** the distribution names of the develop eggs (never locked) */
  developKeys: ReadonlySet<string>;
}

/** One line per thing the lock lacks (empty: the lock covers the configuration). */
export function lockProblems(env: LockedEnvironment, q: LockQuestion): string[] {
  const problems: string[] = [];
  const versions = new Map<string, string[]>();
  for (const p of env.packages) versions.set(p.name, [...(versions.get(p.name) ?? []), p.version]);
  const lockedRequirements = env.requirements.map(parseRequirement).filter((r) => r !== undefined);

  for (const text of q.requirements) {
    const r = parseRequirement(text);
    if (!r || q.developKeys.has(r.key)) continue;
    const locked = versions.get(r.key);
    const asLocked = lockedRequirements.filter((l) => l.key === r.key);
    if (!locked) {
      problems.push(`the egg ${text} is not in the lock (a new requirement)`);
      continue;
    }
    const missingExtras = r.extras.filter((e) => !asLocked.some((l) => l.extras.map(normaliseName).includes(normaliseName(e))));
    if (missingExtras.length) problems.push(`the egg ${text} asks for the extra${missingExtras.length > 1 ? 's' : ''} ${missingExtras.join(', ')}, which the lock was not made with`);
    if (r.spec && !locked.some((v) => satisfies(v, r.spec)) && !asLocked.some((l) => l.spec.replace(/\s+/g, '') === r.spec.replace(/\s+/g, ''))) {
      problems.push(`the egg ${text}: the lock has ${r.key} ${locked.join(', ')}`);
    }
  }
  for (const [key, pin] of q.pins) {
    const locked = versions.get(key);
    if (!locked || q.developKeys.has(key)) continue;
    const wanted = pin.constraint.slice(pin.name.length);
    const bad = locked.filter((v) => !satisfies(v, wanted));
    if (bad.length) problems.push(`the pin ${pin.name} = ${pin.version ?? wanted} in [versions]: the lock has ${key} ${bad.join(', ')}`);
  }
  for (const d of q.develop) {
    if (!env.develop.includes(d)) problems.push(`the develop egg ${d} is not in the lock`);
  }
  return problems;
}

/** true when `version` satisfies every clause of `spec` (`>=2,<3`); an unreadable clause counts as unsatisfied. */
export function satisfies(version: string, spec: string): boolean {
  const clauses = spec.replace(/\s+/g, '').split(',').filter(Boolean);
  return clauses.every((c) => {
    const m = /^(===|==|!=|~=|<=|>=|<|>)(.+)$/.exec(c);
    const s = m && parseSpecifier(m[1] as SpecOp, m[2]!);
    return s ? specifierContains(s, version) : false;
  });
}
