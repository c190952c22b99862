// `buildout annotate [--json] [SECTION…]`. Human form: every raw option with
// where it was set (file:line) and its +=/-= history. --json: every section
// fully resolved as install resolves it (with the options recipes compute, such
// as a part's location), and the parts checked as install checks them.
import type { CommandContext } from '../context.js';
import { BuildoutError, formatLoc } from '../../errors.js';
import type { Loc } from '../../errors.js';
import { loadBuildout } from '../../config/resolve.js';
import { loadResolved } from '../recipe-wiring.js';
import type { AnnotatedOption, Buildout } from '../../config/types.js';
import { suggestion } from '../../config/hints.js';

export async function run(ctx: CommandContext): Promise<number> {
  const json = ctx.flags.json === true;
  // zc.buildout's --interpolated shows substituted values instead of raw ones
  const interpolated = ctx.flags.interpolated === true;
  const chosen = ctx.args;
  // resolved values are what install resolves (recipes' computed options included); raw ones need no recipe
  const b = json || interpolated ? await loadResolved(ctx.load, undefined, { command: 'annotate', log: ctx.log }) : await loadBuildout(ctx.load);
  for (const n of b.notices ?? []) ctx.log.info(n);
  for (const w of b.warnings ?? []) ctx.log.warn(w);
  for (const s of chosen) {
    if (!b.hasSection(s)) throw new BuildoutError('MissingSection', `Section not found: ${s}`, { section: s, hint: suggestion('section', s, b.sectionNames()) });
  }
  const names = chosen.length ? chosen : b.sectionNames();
  if (json) {
    // Like install, a resolved configuration needs its parts: buildout:parts set, each
    // part a section with a recipe. The parts go first, in install order, as install does.
    const parts = b.checkParts();
    if (parts.problems.length) throw parts.problems[0];
    const sections: Record<string, Readonly<Record<string, string>>> = Object.create(null);
    for (const name of names) sections[name] = b.section(name);
    ctx.out(JSON.stringify({ sections }) + '\n');
    return 0;
  }
  ctx.out(formatAnnotation(b, names, interpolated));
  return 0;
}

/** zc.buildout's layout (sections and options sorted), with file:line for every step. */
export function formatAnnotation(b: Buildout, names: string[], interpolated = false): string {
  const base = b.buildout.directory ?? '';
  const lines = ['', 'Annotated sections', '='.repeat('Annotated sections'.length)];
  for (const name of [...names].sort()) {
    const opts = b.annotated(name);
    if (!opts) continue;
    const resolved = interpolated ? b.section(name) : undefined;
    lines.push('', `[${name}]`);
    for (const key of Object.keys(opts).sort()) {
      const opt = opts[key]!;
      lines.push(...formatOption(key, resolved?.[key] !== undefined ? { ...opt, value: resolved[key]! } : opt, base));
    }
  }
  return lines.join('\n') + '\n';
}

function formatOption(key: string, opt: AnnotatedOption, base: string): string[] {
  const out: string[] = [];
  const valueLines = opt.value.split('\n');
  if (valueLines.length <= 1) out.push(opt.value ? `${key}= ${opt.value}` : `${key}=`);
  else {
    out.push(`${key}=`);
    for (const l of valueLines) out.push(`    ${l}`);
  }
  for (const h of opt.history) {
    const where = shortLoc(h.loc, base);
    if (h.op === '=') out.push(`    ${where}`);
    else {
      const v = h.value.split('\n').filter(Boolean).join(' ');
      out.push(`${h.op} ${where}${v ? `  (${v})` : ''}`);
    }
  }
  return out;
}

function shortLoc(loc: Loc, base: string): string {
  if (base && loc.file.startsWith(base + '/')) return formatLoc({ ...loc, file: loc.file.slice(base.length + 1) });
  return formatLoc(loc);
}
