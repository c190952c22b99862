// Every problem of a loaded configuration, for `buildout check`: the parts walk of
// install (buildout:parts, a section and a recipe for each part), then every other
// section, collecting each error instead of stopping at the first.
import { formatLoc } from '../errors.js';
import type { BuildoutError } from '../errors.js';
import type { Buildout } from './types.js';

export interface ConfigProblems {
  /** the install list as far as it could be computed */
  parts: string[];
  problems: BuildoutError[];
}

export function collectConfigProblems(b: Buildout): ConfigProblems {
  const { parts, problems } = b.checkParts();
  for (const name of b.sectionNames()) problems.push(...b.sectionProblems(name));
  for (const p of problems) if (!p.loc && p.section) p.placeAt(b.locate(p.section, p.option));
  return { parts, problems: unique(problems) };
}

/** One entry per distinct problem (a section that fails makes its referrers fail the same way). */
export function unique<T extends BuildoutError>(errors: readonly T[]): T[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = [e.code, e.message, formatLoc(e.loc), e.section ?? '', e.option ?? ''].join('\0');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
