// The develop subcommands (mr.developer's bin/develop), their aliases and flags:
// one table, from which the words are parsed and the help is printed.
import { BuildoutError } from '../../errors.js';
import { activate, deactivate, reset } from './activation.js';
import { parseSubcommand, subcommandHelp, type FlagSpec, type ParsedSubcommand, type SubcommandSpec } from './args.js';
import { checkout, update } from './checkout.js';
import type { DevelopCommandContext } from './context.js';
import { info, list, status } from './listing.js';

export type { DevelopCommandContext } from './context.js';

type Run = (ctx: DevelopCommandContext, parsed: ParsedSubcommand) => Promise<number>;

const AUTO: FlagSpec = { short: 'a', long: 'auto-checkout', help: 'only the packages of auto-checkout' };
const CHECKED_OUT: FlagSpec = { short: 'c', long: 'checked-out', help: 'only the packages that are checked out' };
const DEVELOP: FlagSpec = { short: 'd', long: 'develop', help: 'only the packages that are develop eggs' };
const VERBOSE: FlagSpec = { short: 'v', long: 'verbose', help: 'show the output of the version-control commands' };

const SUBCOMMANDS: (SubcommandSpec & { run: Run })[] = [
  { name: 'activate', aliases: ['a'], summary: 'Add packages to the list of development packages.', flags: [AUTO, CHECKED_OUT, DEVELOP], positional: '+', run: activate },
  { name: 'arguments', aliases: ['args'], summary: "Print arguments used by last buildout which will be used with the 'rebuild' command.", flags: [], positional: 'none', run: printArguments },
  { name: 'checkout', aliases: ['co'], summary: 'Make a checkout of the packages matching the regular expressions and add them to the list of development packages.', flags: [AUTO, VERBOSE], positional: '+', run: checkout },
  { name: 'deactivate', aliases: ['d'], summary: 'Remove packages from the list of development packages.', flags: [AUTO, CHECKED_OUT, DEVELOP], positional: '+', run: deactivate },
  { name: 'help', aliases: ['h'], summary: 'Show help on the given command or about the whole script if none given.', flags: [], positional: '?', run: help },
  {
    name: 'info',
    aliases: [],
    summary: 'Lists informations about packages.',
    flags: [AUTO, CHECKED_OUT, DEVELOP, { long: 'name', help: 'print the name of the package' }, { short: 'p', long: 'path', help: 'print the absolute path of the package' }, { long: 'type', help: 'print the repository type of the package' }, { long: 'url', help: 'print the URL of the package' }],
    positional: '*',
    run: info,
  },
  { name: 'list', aliases: ['ls'], summary: 'Lists tracked packages.', flags: [AUTO, CHECKED_OUT, DEVELOP, { short: 'l', long: 'long', help: 'show the URL and kind of each package' }, { short: 's', long: 'status', help: 'show the checkout status' }], positional: '*', run: list },
  { name: 'rebuild', aliases: ['rb'], summary: 'Run buildout with the last used arguments.', flags: [], positional: 'none', run: rebuild },
  { name: 'reset', aliases: [], summary: 'Resets the packages develop status. This is useful when switching to a new buildout configuration.', flags: [AUTO, CHECKED_OUT, DEVELOP], positional: '*', run: reset },
  { name: 'status', aliases: ['stat', 'st'], summary: 'Shows the status of tracked packages.', flags: [AUTO, CHECKED_OUT, DEVELOP, VERBOSE], positional: '*', run: status },
  { name: 'update', aliases: ['up'], summary: 'Updates all known packages currently checked out.', flags: [AUTO, DEVELOP, { short: 'f', long: 'force', help: 'update even if the working copy is dirty' }, VERBOSE], positional: '*', run: update },
];

/** The subcommand for a name or alias. */
export function findSubcommand(word: string): (SubcommandSpec & { run: Run }) | undefined {
  return SUBCOMMANDS.find((c) => c.name === word || c.aliases.includes(word));
}

/** true when the words only ask for help (no buildout needs to be loaded). */
export function isHelpOnly(words: readonly string[]): boolean {
  const first = words[0];
  if (first === undefined || first === '-h' || first === '--help') return true;
  const spec = findSubcommand(first);
  return spec?.name === 'help' || (spec !== undefined && words.slice(1).some((w) => w === '-h' || w === '--help'));
}

/** Help without a buildout: the list of subcommands, or one subcommand's usage. */
export function helpText(words: readonly string[]): string {
  const first = words[0];
  const spec = first === undefined ? undefined : findSubcommand(first);
  const topic = spec?.name === 'help' ? words.slice(1).find((w) => !w.startsWith('-')) : spec?.name;
  const described = topic === undefined ? undefined : findSubcommand(topic);
  if (topic !== undefined && !described) throw unknown(topic);
  if (described) return subcommandHelp(described);
  const lines = ['usage: develop <command> [options] [package-regexp ...]', '', "mr.developer's commands, run on this buildout's sources:", ''];
  for (const c of SUBCOMMANDS) lines.push(`    ${[c.name, ...(c.aliases.length ? [`(${c.aliases.join(', ')})`] : [])].join(' ').padEnd(24)}${c.summary}`);
  lines.push('', '`develop help <command>` describes one of them.');
  return lines.join('\n') + '\n';
}

/** Runs `develop <command> …` on an opened buildout. */
export async function runSubcommand(ctx: DevelopCommandContext, words: readonly string[]): Promise<number> {
  const spec = findSubcommand(words[0]!);
  if (!spec) throw unknown(words[0]!);
  const parsed = parseSubcommand(spec, words.slice(1));
  if (parsed.help) {
    ctx.out(subcommandHelp(spec));
    return 0;
  }
  return spec.run(ctx, parsed);
}

// --- internal ---

async function help(ctx: DevelopCommandContext, parsed: ParsedSubcommand): Promise<number> {
  ctx.out(helpText(['help', ...parsed.args]));
  return 0;
}

async function printArguments(ctx: DevelopCommandContext): Promise<number> {
  ctx.out(`Last used buildout arguments: ${ctx.session.state.buildoutArgs.slice(1).join(' ')}\n`);
  return 0;
}

async function rebuild(ctx: DevelopCommandContext): Promise<number> {
  const args = ctx.session.state.buildoutArgs.slice(1);
  ctx.out(`Last used buildout arguments: ${args.join(' ')}\n`);
  ctx.log.info('Running buildout.');
  return ctx.rerun(args);
}

function unknown(word: string): BuildoutError {
  const names = SUBCOMMANDS.flatMap((c) => [c.name, ...c.aliases]);
  return new BuildoutError('UsageError', `develop: invalid choice: '${word}' (choose from ${names.map((n) => `'${n}'`).join(', ')})`, { hint: '`develop help` lists the commands.' });
}
