// The Python environment's part of `buildout plan`: whether the run would change the
// environment (its inputs against the state file, as src/python/ensure-environment.ts
// decides: no process), what changed in its inputs (requirements and pins against the
// installer's input files of the last run), and, only then, which distributions would be
// added, upgraded or downgraded: the installer resolves in a temporary folder (a dry run:
// the buildout and its environment are not touched; the shared download cache may fill).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Buildout } from '../../config/types.js';
import { isBuildoutError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { environmentInputs } from '../../python/ensure-environment.js';
import { buildoutEnvironmentSpec } from '../../python/environment.js';
import { normaliseName } from '../../python/requirements.js';
import { readState } from '../../python/state.js';
import { installedDistributions } from '../preview/environment.js';

export type EnvReason =
  | { kind: 'created' }
  | { kind: 'requirement'; requirement: string; change: 'added' | 'removed' }
  | { kind: 'pin'; name: string; old?: string; new?: string }
  | { kind: 'settings' };

export interface DistChanges {
  added: { name: string; version: string }[];
  upgraded: { name: string; from: string; to: string }[];
  downgraded: { name: string; from: string; to: string }[];
  /** develop eggs no longer listed (other distributions are never uninstalled) */
  removed: { name: string; version: string }[];
}

export interface EnvironmentReport {
  changed: boolean;
  reasons: EnvReason[];
  distributions?: DistChanges;
  /** why the distributions are not listed */
  note?: string;
}

export interface EnvironmentInput {
  buildout: Buildout;
  /** every requirement of the install list's parts */
  requirements: string[];
  /** absolute develop paths */
  develop: string[];
  /** the run would reach the environment (its inputs changed, or a changed part needs it) */
  reached: boolean;
  /** ask the installer for the distributions (a dry-run resolution) when the environment changes */
  resolve: boolean;
  log: Logger;
}

export async function environmentReport(x: EnvironmentInput): Promise<EnvironmentReport> {
  if (!x.reached) return { changed: false, reasons: [] };
  const bo = x.buildout;
  const versionsName = bo.buildout.versions ?? 'versions';
  const spec = buildoutEnvironmentSpec({ buildout: bo.buildout, versions: versionsName && bo.hasSection(versionsName) ? bo.section(versionsName) : {}, requirements: x.requirements, develop: x.develop, log: x.log, section: (n) => bo.section(n) });
  const inputs = environmentInputs(spec);
  const state = readState(spec.prefix);
  if (state && state.key === inputs.key && existsSync(join(spec.prefix, 'bin', 'python'))) return { changed: false, reasons: [] };
  if (inputs.requirements.length === 0 && inputs.develop.length === 0 && !state) return { changed: false, reasons: [] };

  const report: EnvironmentReport = { changed: true, reasons: inputReasons(spec.workDir, inputs.requirements, inputs.develop, inputs.constraints, state !== undefined) };
  if (!x.resolve) return { ...report, note: 'distributions not resolved' };
  const installed = state ? installedDistributions(state.sitePackages) : new Map<string, string>();
  const work = mkdtempSync(join(tmpdir(), 'buildout-ts-plan-'));
  try {
    // the last resolution is the installer's preference (newest = false keeps versions)
    if (existsSync(join(spec.workDir, 'resolved.txt'))) copyFileSync(join(spec.workDir, 'resolved.txt'), join(work, 'resolved.txt'));
    const { chooseInstaller } = await import('../../python/ensure-environment.js');
    const { createRun } = await import('../../python/install-run.js');
    const installer = await chooseInstaller(spec.settings, x.log);
    const run = createRun(work, installer.name, () => {}, () => {}, x.log);
    const python = existsSync(join(spec.prefix, 'bin', 'python')) ? join(spec.prefix, 'bin', 'python') : spec.settings.executable.path;
    const plan = run.planFor({ python, settings: spec.settings, requirements: inputs.requirements, develop: inputs.develop, constraints: inputs.constraints });
    const outcome = await run.resolveAll(installer, plan);
    if (!outcome.ok) {
      const { installFailure } = await import('../../python/install-failure.js');
      const e = installFailure(outcome.problems, { installer: installer.name, offline: spec.settings.offline, logFile: run.logFile });
      return { ...report, note: `the installer could not resolve: ${e.message}` };
    }
    const changes: DistChanges = { added: [], upgraded: [], downgraded: [], removed: [] };
    for (const d of outcome.value.dists) {
      if (d.direct) continue;
      const before = installed.get(normaliseName(d.name));
      if (before === undefined) changes.added.push({ name: d.name, version: d.version });
      else if (before !== d.version) (compareVersions(d.version, before) > 0 ? changes.upgraded : changes.downgraded).push({ name: d.name, from: before, to: d.version });
    }
    for (const d of state?.develop ?? []) if (!inputs.develop.includes(d.dir)) changes.removed.push({ name: d.key, version: installed.get(normaliseName(d.key)) ?? '' });
    return { ...report, distributions: changes };
  } catch (e) {
    if (!isBuildoutError(e)) throw e;
    return { ...report, note: `the installer could not resolve: ${e.message}` };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// --- internal ---

// The installer's inputs of the last run that changed the environment (src/python/install-run.ts).
function inputReasons(workDir: string, requirements: string[], develop: string[], constraints: string[], hadState: boolean): EnvReason[] {
  if (!hadState) return [{ kind: 'created' }];
  const before = lines(join(workDir, 'requirements.in'));
  const pinsBefore = lines(join(workDir, 'constraints.txt'));
  if (!before || !pinsBefore) return [{ kind: 'settings' }];
  const reasons: EnvReason[] = [];
  const now = [...develop.map((d) => `-e ${d}`), ...requirements];
  const bare = (l: string) => l.replace(/^-e\s+/, '').replace(/\[[^\]]*\]$/, '');
  for (const r of now) if (!before.some((b) => b === r || bare(b) === bare(r))) reasons.push({ kind: 'requirement', requirement: r, change: 'added' });
  for (const b of before) if (!now.some((r) => b === r || bare(b) === bare(r))) reasons.push({ kind: 'requirement', requirement: b, change: 'removed' });
  const pins = (list: string[]) => new Map(list.map((c) => [normaliseName(/^[A-Za-z0-9._-]+/.exec(c)?.[0] ?? c), c]));
  const a = pins(pinsBefore);
  const b = pins(constraints);
  for (const name of new Set([...a.keys(), ...b.keys()])) {
    if (a.get(name) !== b.get(name)) reasons.push({ kind: 'pin', name, ...(a.has(name) ? { old: a.get(name) } : {}), ...(b.has(name) ? { new: b.get(name) } : {}) });
  }
  return reasons.length ? reasons : [{ kind: 'settings' }];
}

function lines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter(Boolean);
  } catch {
    return undefined;
  }
}

// PEP 440 enough to say up or down: numeric release segments, then the rest as text.
function compareVersions(a: string, b: string): number {
  const split = (v: string) => v.split(/[.+-]/).map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  const x = split(a);
  const y = split(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const p = x[i] ?? 0;
    const q = y[i] ?? 0;
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    return String(p) < String(q) ? -1 : 1;
  }
  return 0;
}
