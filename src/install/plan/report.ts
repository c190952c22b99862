// What a run would do, part by part and why, computed from the same resolution and plan as
// install (planning.ts), without changing anything: no file written, no process started
// (the environment's part may ask the installer for a resolution: env-report.ts).
import { readFileSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { SIGNATURE_KEY, type InstalledState } from '../../state/installed.js';
import { optionChanges } from '../../state/plan.js';
import { parseOptions } from '../options.js';
import type { RunPlan } from '../planning.js';
import type { PreviewEnvironment } from '../preview/types.js';
import type { PartInfo, ResolvedInstall } from '../resolve-parts.js';
import { unifiedDiff } from './diff.js';
import type { EnvironmentReport } from './env-report.js';

export type PartAction = 'install' | 'reinstall' | 'update' | 'uninstall' | 'keep';

export type PlanReason =
  | { kind: 'new-part' }
  | { kind: 'removed' }
  | { kind: 'option'; option: string; old?: string; new?: string }
  | { kind: 'signature'; old: string; new: string; detail: string }
  | { kind: 'input-file'; file: string }
  | { kind: 'files-missing'; files: string[] }
  | { kind: 'updates-every-run' }
  | { kind: 'environment-changed' };

export interface FileChange {
  /** relative to the buildout directory when inside it */
  path: string;
  change: 'create' | 'modify' | 'delete';
  /** unified diff of a generated configuration file */
  diff?: string;
}

export interface PartPlan {
  part: string;
  action: PartAction;
  recipe: string;
  reasons: PlanReason[];
  files: FileChange[];
  /** what cannot be known before the recipe runs */
  note?: string;
}

export interface PlanReport {
  directory: string;
  /** nothing would change: no part, no environment */
  noop: boolean;
  /** parts an interrupted run left set aside (the next run restores or finishes them first) */
  repair: string[];
  parts: PartPlan[];
  environment: EnvironmentReport;
  summary: Record<PartAction, number>;
}

export interface ReportInput {
  resolved: ResolvedInstall;
  state: InstalledState;
  run: RunPlan;
  /** when .installed.cfg was last written (input files newer than that changed) */
  installedAt: number;
  env: PreviewEnvironment;
  environment: EnvironmentReport;
  repair: string[];
  /** Python parts whose constructor would run again (what it read changed): their computed options are unknown */
  unconstructed?: ReadonlySet<string>;
}

export async function planReport(x: ReportInput): Promise<PlanReport> {
  const { resolved, state, run } = x;
  const dir = resolved.directory;
  const rel = (p: string) => (relative(dir, p).startsWith('..') ? p : relative(dir, p));
  const parts: PartPlan[] = [];
  for (const u of run.plan.uninstall) {
    if (run.plan.steps.some((s) => s.part === u.part)) continue;
    const old = state.parts.get(u.part)!;
    parts.push({ part: u.part, action: 'uninstall', recipe: old.options.recipe ?? '', reasons: [{ kind: 'removed' }], files: old.files.map((f) => ({ path: rel(f), change: 'delete' })) });
  }
  for (const step of run.plan.steps) {
    const info = resolved.parts.find((p) => p.name === step.part)!;
    const old = state.parts.get(step.part);
    if (step.action === 'keep') {
      parts.push({ part: step.part, action: 'keep', recipe: info.recipe.name, reasons: [], files: [] });
      continue;
    }
    if (step.action === 'update') {
      const reason: PlanReason = info.alwaysUpdate ? { kind: 'updates-every-run' } : { kind: 'environment-changed' };
      parts.push({ part: step.part, action: 'update', recipe: info.recipe.name, reasons: [reason], files: [], note: 'would run the recipe\'s update' });
      continue;
    }
    const fresh = x.unconstructed?.has(step.part) === true;
    const reasons = old ? whyReinstall(old.options, old.files, info, x.installedAt, fresh) : [{ kind: 'new-part' } as const];
    const plan: PartPlan = { part: step.part, action: old ? 'reinstall' : 'install', recipe: info.recipe.name, reasons, files: [] };
    const preview = info.recipe.kind === 'builtin' ? await previewFiles(info, x.env, resolved) : undefined;
    if (preview) plan.files = preview.map((f) => ({ ...f, path: rel(f.path) }));
    else plan.note = fresh ? "would run the recipe's constructor again, then the recipe (the options it computes and the files it writes are known only then)" : 'would run the recipe (the files it writes are known only then)';
    parts.push(plan);
  }
  const summary: Record<PartAction, number> = { install: 0, reinstall: 0, update: 0, uninstall: 0, keep: 0 };
  for (const p of parts) summary[p.action]++;
  const noop = parts.every((p) => p.action === 'keep') && !x.environment.changed && x.repair.length === 0;
  return { directory: dir, noop, repair: x.repair, parts, environment: x.environment, summary };
}

// --- internal ---

function whyReinstall(before: Readonly<Record<string, string>>, files: readonly string[], info: PartInfo, installedAt: number, unconstructed: boolean): PlanReason[] {
  const reasons: PlanReason[] = [];
  for (const option of optionChanges(before, info.recorded)) {
    // without its constructor a Python part has only the options the configuration writes
    if (unconstructed && (option === SIGNATURE_KEY || !info.written.includes(option))) continue;
    if (option === SIGNATURE_KEY) reasons.push(...signatureReasons(before[option] ?? '', info.recorded[option] ?? '', info, installedAt));
    else reasons.push({ kind: 'option', option, ...(Object.hasOwn(before, option) ? { old: before[option] } : {}), ...(Object.hasOwn(info.recorded, option) ? { new: info.recorded[option] } : {}) });
  }
  const missing = files.filter((f) => !exists(f));
  if (missing.length) reasons.push({ kind: 'files-missing', files: missing });
  return reasons;
}

// Our signature is `buildout-ts-<version>[ inputs-<hash>]`: say which half changed, and
// which input files were modified since .installed.cfg was written.
function signatureReasons(old: string, now: string, info: PartInfo, installedAt: number): PlanReason[] {
  const parse = (s: string) => /^buildout-ts-(\S+)(?: inputs-(\w+))?$/.exec(s);
  const a = parse(old);
  const b = parse(now);
  if (!a || !b) return [{ kind: 'signature', old, new: now, detail: 'the recipe changed' }];
  const out: PlanReason[] = [];
  if (a[1] !== b[1]) out.push({ kind: 'signature', old, new: now, detail: `buildout-ts ${a[1]} -> ${b[1]}` });
  if (a[2] !== b[2]) {
    const changed = info.inputs.filter((f) => mtime(f) > installedAt);
    for (const f of changed.length ? changed : info.inputs) out.push({ kind: 'input-file', file: f });
  }
  return out;
}

async function previewFiles(info: PartInfo, env: PreviewEnvironment, resolved: ResolvedInstall): Promise<FileChange[] | undefined> {
  const { previewerFor } = await import('../preview/index.js');
  const preview = await previewerFor(info.recipe.name);
  if (!preview) return undefined;
  const recipe = await info.recipe.plugin.load();
  const options = parseOptions(recipe, info.name, info.raw, (opt) => resolved.buildout.locate(info.name, opt));
  const files = await preview({ part: info.name, options, raw: info.raw, buildout: resolved.buildout.reader(info.name), env });
  const out: FileChange[] = [];
  for (const f of files) {
    const current = read(f.path);
    if (current !== undefined && (f.keepExisting || current.equals(f.content))) continue;
    const label = relative(resolved.directory, f.path).startsWith('..') ? f.path : relative(resolved.directory, f.path);
    out.push({ path: f.path, change: current === undefined ? 'create' : 'modify', diff: unifiedDiff(current?.toString('utf8') ?? '', f.content.toString('utf8'), current === undefined ? '/dev/null' : `${label} (installed)`, `${label} (planned)`) });
  }
  return out;
}

function read(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch {
    return undefined;
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return Number.POSITIVE_INFINITY; // gone: certainly changed
  }
}
