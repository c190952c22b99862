// `buildout query [SECTION:]OPTION`: prints one resolved option value.
import type { CommandContext } from '../context.js';
import { BuildoutError } from '../../errors.js';
import { loadBuildout } from '../../config/resolve.js';
import { loadResolved } from '../recipe-wiring.js';
import { suggestion } from '../../config/hints.js';

export async function run(ctx: CommandContext): Promise<number> {
  // resolved by default; --raw prints the merged, unsubstituted value (zc.buildout's default)
  const raw = ctx.flags.raw === true;
  // command-args.ts guarantees exactly one word
  const arg = ctx.args[0]!;
  const parts = arg.split(':');
  if (parts.length > 2) throw new BuildoutError('UsageError', `Invalid option: ${arg}`, { hint: 'Write [SECTION:]OPTION, e.g. instance:http-address.' });
  const [section, option] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['buildout', parts[0]!];
  // the resolved value is what install resolves (recipes' computed options included)
  const b = raw ? await loadBuildout(ctx.load) : await loadResolved(ctx.load, [section], { command: 'query', log: ctx.log });
  if (!b.hasSection(section)) {
    throw new BuildoutError('MissingSection', `Section not found: ${section}`, { section, hint: suggestion('section', section, b.sectionNames()) });
  }
  const options: Readonly<Record<string, string>> = raw ? rawValues(b.annotated(section) ?? {}) : b.section(section);
  const value = options[option];
  if (value === undefined) {
    throw new BuildoutError('MissingOption', `Key not found: ${option}`, { section, option, loc: b.locate(section), hint: suggestion('option', option, Object.keys(options)) });
  }
  // zc.buildout names the reference first when -v/-q was given
  if (ctx.verbosity !== 0) ctx.out(`\${${section}:${option}}\n`);
  ctx.out(value + '\n');
  return 0;
}

function rawValues(ann: Readonly<Record<string, { value: string }>>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, o] of Object.entries(ann)) out[k] = o.value;
  return out;
}
