// What `buildout check` reports: one problem per mistake, with where it is, and
// the two ways of printing them (people, --json).
import { formatLoc, type BuildoutError, type ErrorCode, type Loc } from '../../errors.js';

export interface Problem {
  /** errors make check exit 1; warnings (unused options, zc.buildout's own warnings) do not */
  severity: 'error' | 'warning';
  /** config: found by resolving the configuration (what annotate --json fails on); recipe: by a part's recipe */
  stage: 'config' | 'recipe';
  code: ErrorCode;
  message: string;
  hint?: string;
  loc?: Loc;
  section?: string;
  option?: string;
}

export function problemOf(e: BuildoutError, stage: Problem['stage']): Problem {
  return { severity: 'error', stage, code: e.code, message: e.message, hint: e.hint, loc: e.loc, section: e.section, option: e.option };
}

/** `{"ok": …, "errors": n, "warnings": n, "problems": [{severity, type, message, file, line, section, option, hint}]}` */
export function problemsJson(problems: readonly Problem[]): string {
  const list = problems.map((p) => ({
    severity: p.severity,
    stage: p.stage,
    type: p.code,
    message: p.message,
    ...(p.loc ? { file: p.loc.file, ...(p.loc.line !== undefined ? { line: p.loc.line } : {}) } : {}),
    ...(p.section ? { section: p.section } : {}),
    ...(p.option ? { option: p.option } : {}),
    ...(p.hint ? { hint: p.hint } : {}),
  }));
  const errors = problems.filter((p) => p.severity === 'error').length;
  return JSON.stringify({ ok: errors === 0, errors, warnings: problems.length - errors, problems: list }) + '\n';
}

/** One block per problem, `file:line: [section] option: message`, then a count. */
export function problemsText(problems: readonly Problem[], directory: string): string {
  const lines: string[] = [];
  for (const p of problems) {
    const where = shortLoc(p.loc, directory);
    const what = [p.section && `[${p.section}]`, p.option].filter(Boolean).join(' ');
    const head = [where, what].filter(Boolean).join(': ');
    const [first, ...rest] = p.message.split('\n');
    lines.push(`${head ? head + ': ' : ''}${p.severity}: ${first}`);
    for (const r of rest) lines.push(`    ${r}`);
    if (p.hint) lines.push(`    hint: ${p.hint}`);
  }
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  lines.push(problems.length ? `${count(errors, 'error')}, ${count(warnings, 'warning')}.` : 'No problems found.');
  return lines.join('\n') + '\n';
}

// --- internal ---

function shortLoc(loc: Loc | undefined, base: string): string {
  if (!loc) return '';
  if (base && loc.file.startsWith(base + '/')) return formatLoc({ ...loc, file: loc.file.slice(base.length + 1) });
  return formatLoc(loc);
}

function count(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
