// The plan for people: one block per part that would change (action, recipe, each reason
// with the old and new value, the files with a unified diff of generated configuration
// files), the environment, and a summary line. `--json` prints the report object instead.
import type { EnvironmentReport } from './env-report.js';
import type { PartPlan, PlanReason, PlanReport } from './report.js';

const MAX_VALUE = 200;

export function formatPlan(r: PlanReport, opts: { diffs?: boolean } = {}): string {
  const out: string[] = [];
  if (r.repair.length) out.push(`An interrupted run left the previous installation of ${r.repair.join(', ')} set aside: the next run restores or finishes it first.`, '');
  for (const p of r.parts) {
    if (p.action === 'keep') continue;
    out.push(`${p.part}: ${p.action}${p.recipe ? ` (${p.recipe})` : ''}`);
    // the user's own options first, our computed records (template digest) after
    const internal = (r: PlanReason) => r.kind === 'option' && r.option.startsWith('__');
    for (const reason of [...p.reasons.filter((r) => !internal(r)), ...p.reasons.filter(internal)]) out.push(`    ${formatReason(reason)}`);
    if (p.note) out.push(`    ${p.note}`);
    out.push(...formatFiles(p, opts.diffs !== false));
  }
  const kept = r.parts.filter((p) => p.action === 'keep').map((p) => p.part);
  if (kept.length) out.push(`unchanged: ${kept.join(', ')}`);
  out.push(...formatEnvironment(r.environment));
  const s = r.summary;
  out.push(r.noop ? 'Nothing to do.' : `Plan: ${s.install} to install, ${s.reinstall} to reinstall, ${s.update} to update, ${s.uninstall} to uninstall, ${s.keep} unchanged${r.environment.changed ? '; the Python environment changes' : ''}.`);
  return out.join('\n') + '\n';
}

// --- internal ---

function formatReason(r: PlanReason): string {
  switch (r.kind) {
    case 'new-part':
      return 'new part';
    case 'removed':
      return 'not in the configuration any more';
    case 'option':
      if (r.option === '__buildout_ts_template_digest__') return 'the rendered template changed';
      if (r.old === undefined) return `${r.option}: added = ${value(r.new!)}`;
      if (r.new === undefined) return `${r.option}: removed (was ${value(r.old)})`;
      return `${r.option}: ${value(r.old)} -> ${value(r.new)}`;
    case 'signature':
      return `recipe signature changed: ${r.detail}`;
    case 'input-file':
      return `input file changed: ${r.file}`;
    case 'files-missing':
      return `files missing: ${r.files.join(', ')}`;
    case 'updates-every-run':
      return 'its recipe updates on every run';
    case 'environment-changed':
      return 'the Python environment changes (a Python recipe updates its part then)';
  }
}

function formatFiles(p: PartPlan, diffs: boolean): string[] {
  const out: string[] = [];
  for (const f of p.files) {
    out.push(`    ${f.change === 'create' ? 'create' : f.change === 'modify' ? 'modify' : 'delete'} ${f.path}`);
    if (diffs && f.change === 'modify' && f.diff) out.push(...f.diff.trimEnd().split('\n').map((l) => `      ${l}`));
  }
  return out;
}

function formatEnvironment(e: EnvironmentReport): string[] {
  if (!e.changed) return [];
  const out = ['Python environment: would change'];
  for (const r of e.reasons) {
    if (r.kind === 'created') out.push('    it would be created');
    else if (r.kind === 'requirement') out.push(`    requirement ${r.change}: ${r.requirement}`);
    else if (r.kind === 'pin') out.push(`    [versions] ${r.name}: ${r.old ?? '(none)'} -> ${r.new ?? '(none)'}`);
    else out.push('    the interpreter, an index or find-links setting, or a develop project changed');
  }
  const d = e.distributions;
  if (d) {
    for (const a of d.added) out.push(`    + ${a.name} ${a.version}`);
    for (const u of d.upgraded) out.push(`    ^ ${u.name} ${u.from} -> ${u.to}`);
    for (const u of d.downgraded) out.push(`    v ${u.name} ${u.from} -> ${u.to}`);
    for (const r of d.removed) out.push(`    - ${r.name} ${r.version}`.trimEnd());
    if (!d.added.length && !d.upgraded.length && !d.downgraded.length && !d.removed.length) out.push('    no distribution added, upgraded or removed');
  }
  if (e.note) out.push(`    (${e.note})`);
  return out;
}

function value(v: string): string {
  const one = v.includes('\n') ? JSON.stringify(v) : `'${v}'`;
  return one.length > MAX_VALUE ? `${one.slice(0, MAX_VALUE)}...` : one;
}
