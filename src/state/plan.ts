// Wanted parts vs installed parts -> what to uninstall, install, update or keep.
// Pure: every fact about the outside world (file existence, recipe hooks) comes in
// as an argument. zc.buildout's rules (spec §9.6-7):
// - previously installed parts are visited in reverse order; one is kept when it is
//   still wanted, its recorded options (signature included) equal the new ones, and
//   every file it recorded still exists; otherwise it is uninstalled, unless parts
//   were named on the command line and it is not one of them;
// - wanted parts then run in order: kept ones are left alone (or updated when their
//   recipe asks for it), the others are installed.
import type { InstalledState } from './installed.js';

export type StepAction = 'install' | 'update' | 'keep';

export interface PlanStep {
  part: string;
  action: StepAction;
  /** why a part is (re)installed, for the progress line and -v */
  reason: string;
}

export interface Uninstall {
  part: string;
  reason: string;
}

export interface Plan {
  /** in execution order (reverse install order) */
  uninstall: Uninstall[];
  /** one per wanted part, in install order */
  steps: PlanStep[];
}

export interface PlanInput {
  installed: Pick<InstalledState, 'order' | 'parts'>;
  /** the install list, in order, without duplicates */
  wanted: readonly string[];
  /** new options of each wanted part, `__buildout_signature__` included */
  options: ReadonlyMap<string, Readonly<Record<string, string>>>;
  /** true with `install PART…`: parts not named are neither installed nor uninstalled */
  explicit: boolean;
  exists: (absolutePath: string) => boolean;
  /** true when a kept part's recipe wants `update()` on every run */
  alwaysUpdate: (part: string) => boolean;
}

export function planInstall(input: PlanInput): Plan {
  const wanted = new Set(input.wanted);
  const kept = new Set<string>();
  const reasons = new Map<string, string>();
  const uninstall: Uninstall[] = [];

  for (const part of [...input.installed.order].reverse()) {
    const old = input.installed.parts.get(part);
    if (!wanted.has(part)) {
      if (!input.explicit) uninstall.push({ part, reason: 'not in the configuration any more' });
      continue;
    }
    const changed = old ? optionChanges(old.options, input.options.get(part) ?? {}) : ['(nothing recorded)'];
    const missing = old ? old.files.filter((f) => !input.exists(f)) : [];
    if (changed.length === 0 && missing.length === 0) {
      kept.add(part);
      continue;
    }
    const reason = changed.length ? `options changed: ${changed.join(', ')}` : `files missing: ${missing.join(', ')}`;
    reasons.set(part, reason);
    uninstall.push({ part, reason });
  }

  const steps = input.wanted.map((part): PlanStep => {
    if (kept.has(part)) return input.alwaysUpdate(part) ? { part, action: 'update', reason: 'recipe updates on every run' } : { part, action: 'keep', reason: 'unchanged' };
    return { part, action: 'install', reason: reasons.get(part) ?? 'new part' };
  });
  return { uninstall, steps };
}

/** True when running the plan changes nothing (no recipe needs to be loaded). */
export function isNoop(plan: Plan): boolean {
  return plan.uninstall.length === 0 && plan.steps.every((s) => s.action === 'keep');
}

/** Names of options added, removed or changed between two option sets, sorted. */
export function optionChanges(before: Readonly<Record<string, string>>, after: Readonly<Record<string, string>>): string[] {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].filter((k) => !Object.hasOwn(before, k) || !Object.hasOwn(after, k) || before[k] !== after[k]).sort();
}
