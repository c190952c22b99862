// develop list / info / status: what the sources are, where they are checked
// out, and the state of each checkout, in mr.developer's columns.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { workingCopy } from '../vcs/index.js';
import type { ParsedSubcommand } from './args.js';
import { selectPackages, sorted, type DevelopCommandContext } from './context.js';

export async function list(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const { sources, autoCheckout } = ctx.session;
  for (const name of sorted(selectPackages(ctx, parsed))) {
    const source = sources.get(name)!;
    const info: string[] = [];
    if (parsed.flags.has('status')) {
      if (existsSync(source.path)) info.push(!(await workingCopy(source).matches()) ? 'C' : autoCheckout.has(name) ? ' ' : '~');
      else info.push(autoCheckout.has(name) ? '!' : '#');
    }
    info.push(parsed.flags.has('long') ? `(${source.kind}) ${name} ${source.url}` : name);
    ctx.out(info.join(' ') + '\n');
  }
  return 0;
}

export async function info(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const fields = parsed.ordered.filter((k) => ['name', 'path', 'type', 'url'].includes(k));
  for (const name of sorted(selectPackages(ctx, parsed))) {
    const s = ctx.session.sources.get(name)!;
    const value = (k: string) => ({ name, path: s.path, type: s.kind, url: s.url })[k]!;
    if (fields.length) ctx.out(fields.map(value).join(' ') + '\n');
    else ctx.out(`Name: ${name}\nPath: ${s.path}\nType: ${s.kind}\nURL: ${s.url}\n\n`);
  }
  return 0;
}

/**
 * First column: ' ' auto-checkout, '~' not in auto-checkout, '!' auto-checkout but not
 * checked out, 'C' the URL differs, '?' unknown directory in sources-dir. Second: ' '
 * clean, 'M' modified, '>' ahead. Third: ' ' active, '-' inactive, '!' inactive though
 * in auto-checkout, 'A' activated (run buildout), 'D' deactivated (run buildout).
 */
export async function status(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  const { sources, autoCheckout, state, settings } = ctx.session;
  const verbose = parsed.flags.has('verbose');
  const paths: string[] = [];
  for (const name of sorted(selectPackages(ctx, parsed))) {
    const source = sources.get(name)!;
    if (!existsSync(source.path)) {
      if (autoCheckout.has(name)) ctx.out(`!     ${name}\n`);
      continue;
    }
    paths.push(source.path);
    const wc = workingCopy(source);
    const columns = [(await wc.matches()) ? (autoCheckout.has(name) ? ' ' : '~') : 'C'];
    const st = await wc.status();
    columns.push(st.status === 'clean' ? ' ' : st.status === 'ahead' ? '>' : 'M');
    const active = state.develop.has(name) ? state.develop.get(name) : autoCheckout.has(name);
    const inDevelop = ctx.develeggs.has(name);
    if (!source.egg) columns.push(' ');
    else if (active) columns.push(inDevelop ? ' ' : 'A');
    else columns.push(inDevelop ? 'D' : autoCheckout.has(name) ? '!' : '-');
    columns.push(name);
    ctx.out(columns.join(' ') + '\n');
    if (verbose && st.output.trim()) ctx.out(st.output.trim().split('\n').map((l) => `      ${l}\n`).join('') + '\n');
  }
  // unknown entries only when no regexp narrows the list
  if (!parsed.args.length && existsSync(settings.sourcesDir)) {
    for (const entry of readdirSync(settings.sourcesDir).sort()) if (!paths.includes(join(settings.sourcesDir, entry))) ctx.out(`?     ${entry}\n`);
  }
  return 0;
}
