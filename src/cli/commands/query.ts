// `buildout query [SECTION:]OPTION`: prints one resolved option value.
import type { CommandContext } from '../context.js';
import { BuildoutError } from '../../errors.js';
import { loadBuildout } from '../../config/resolve.js';
import { suggestion } from '../../config/hints.js';

export async function run(ctx: CommandContext): Promise<number> {
  if (ctx.args.length !== 1) {
    throw new BuildoutError('UsageError', 'The query command requires a single argument.', { hint: 'For example: buildout query buildout:parts (the section defaults to buildout).' });
  }
  const arg = ctx.args[0]!;
  const parts = arg.split(':');
  if (parts.length > 2) throw new BuildoutError('UsageError', `Invalid option: ${arg}`, { hint: 'Write [SECTION:]OPTION, e.g. instance:http-address.' });
  const [section, option] = parts.length === 2 ? [parts[0]!, parts[1]!] : ['buildout', parts[0]!];
  const b = await loadBuildout(ctx.load);
  if (!b.hasSection(section)) {
    throw new BuildoutError('MissingSection', `Section not found: ${section}`, { section, hint: suggestion('section', section, b.sectionNames()) });
  }
  const options = b.section(section);
  const value = options[option];
  if (value === undefined) {
    throw new BuildoutError('MissingOption', `Key not found: ${option}`, { section, option, loc: b.locate(section), hint: suggestion('option', option, Object.keys(options)) });
  }
  // zc.buildout names the reference first when -v/-q was given
  if (ctx.verbosity !== 0) ctx.out(`\${${section}:${option}}\n`);
  ctx.out(value + '\n');
  return 0;
}
