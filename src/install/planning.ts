// What a run would do with its parts, decided once for install and for `buildout plan`:
// .installed.cfg's parts against the install list (state/plan.ts), plus whether the
// Python environment's inputs changed (env-fingerprint.ts) and the update rule.
import { existsSync } from 'node:fs';
import { ENV_KEY, type InstalledState } from '../state/installed.js';
import { planInstall, type Plan } from '../state/plan.js';
import { envFingerprint } from './env-fingerprint.js';
import { partDevelopPaths } from './python-env.js';
import type { ResolvedInstall } from './resolve-parts.js';

export interface RunPlan {
  plan: Plan;
  /** the environment's fingerprint to record */
  envKey: string;
  /** the environment's inputs differ from what .installed.cfg records */
  envChanged: boolean;
}

export function planRun(resolved: ResolvedInstall, state: InstalledState): RunPlan {
  const envKey = envFingerprint(resolved.buildout, partDevelopPaths(resolved.parts));
  const envChanged = (state.buildout[ENV_KEY] ?? '') !== envKey;
  const plan = planInstall({
    installed: state,
    wanted: resolved.parts.map((p) => p.name),
    options: new Map(resolved.parts.map((p) => [p.name, p.recorded])),
    explicit: resolved.explicit,
    exists: existsSync,
    // zc.buildout updates every part on every run; we update an unchanged part only when its
    // recipe asks for it, or when it is a Python recipe and the environment changed (its
    // update may depend on the eggs: scripts, links, compiled files)
    alwaysUpdate: (name) => {
      const p = resolved.parts.find((x) => x.name === name);
      return p?.alwaysUpdate === true || (envChanged && p?.recipe.kind === 'python');
    },
  });
  return { plan, envKey, envChanged };
}
