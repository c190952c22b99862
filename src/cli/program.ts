// Turns argv into a CommandContext and runs the command, loading its module lazily:
// zc.buildout's global grammar (args.ts), then the command's own words (command-args.ts).
import type { CommandContext, Command } from './context.js';
import type { Buildout } from '../config/types.js';
import { createLogger, LEVELS } from '../log.js';
import { BuildoutError, isBuildoutError } from '../errors.js';
import { resolve } from 'node:path';
import { parseArgs } from './args.js';
import { lockFileFor } from '../lock/paths.js';
import { parseCommandArgs } from './command-args.js';
import { COMMAND_TABLE, findCommand, UNSUPPORTED_COMMANDS, type CommandName } from './command-table.js';

const COMMANDS: Record<Exclude<CommandName, 'help'>, () => Promise<{ run: Command }>> = {
  annotate: () => import('./commands/annotate.js'),
  query: () => import('./commands/query.js'),
  install: () => import('./commands/install.js'),
  plan: () => import('./commands/plan.js'),
  check: () => import('./commands/check.js'),
  develop: () => import('./commands/develop.js'),
  lock: () => import('./commands/lock.js'),
  init: () => import('./commands/init.js'),
};

export async function runProgram(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.version) {
    const { packageVersion } = await import('../package-root.js');
    process.stdout.write(`buildout-ts ${packageVersion()} (zc.buildout 6.0 compatible)\n`);
    return 0;
  }
  if (parsed.help) return printHelp();
  const name = parsed.command ?? 'install';
  const spec = findCommand(name);
  if (!spec) {
    if (Object.hasOwn(UNSUPPORTED_COMMANDS, name)) throw new BuildoutError('UnsupportedCommand', `The '${name}' command is not supported by buildout-ts.`, { hint: UNSUPPORTED_COMMANDS[name] });
    const names = COMMAND_TABLE.map((c) => c.name);
    const { suggestion } = await import('../config/hints.js');
    throw new BuildoutError('UsageError', `Invalid command: ${name}`, { hint: `${suggestion('command', name, names) ?? ''} Commands: ${names.join(', ')}. Run \`buildout --help\`.`.trim() });
  }
  const words = parseCommandArgs(spec, parsed.args);
  if (words.help) return printHelp(spec.name);
  if (spec.name === 'help') return printHelp(await helpTopic(words.args[0]));
  const cwd = process.cwd();
  // --frozen is [buildout] frozen = the lock file beside the configuration (as -o is offline = true)
  if (parsed.frozen) parsed.assignments.push({ section: 'buildout', option: 'frozen', op: '=', value: lockFileFor(resolve(cwd, parsed.configFile ?? 'buildout.cfg')) });
  // the loaded configuration, to put a file:line on errors that name only a section and option
  let loaded: Buildout | undefined;
  const ctx: CommandContext = {
    cwd,
    load: { cwd, configFile: parsed.configFile, userDefaults: parsed.userDefaults, assignments: parsed.assignments, onLoaded: (b) => (loaded = b) },
    args: words.args,
    flags: words.flags,
    verbosity: parsed.verbosity,
    log: createLogger({ level: LEVELS.INFO - parsed.verbosity }),
    out: (t) => process.stdout.write(t),
    debug: parsed.debug,
  };
  const mod = await COMMANDS[spec.name]();
  try {
    return await mod.run(ctx);
  } catch (e) {
    if (isBuildoutError(e) && !e.loc && e.section && loaded) e.placeAt(loaded.locate(e.section, e.option));
    throw e;
  }
}

// --- internal ---

async function printHelp(command?: string): Promise<number> {
  const { renderHelp } = await import('./help.js');
  process.stdout.write(renderHelp(command));
  return 0;
}

async function helpTopic(name: string | undefined): Promise<string | undefined> {
  if (name === undefined || findCommand(name)) return name;
  const names = COMMAND_TABLE.map((c) => c.name);
  const { suggestion } = await import('../config/hints.js');
  throw new BuildoutError('UsageError', `No help for '${name}': there is no such command.`, { hint: `${suggestion('command', name, names) ?? ''} Commands: ${names.join(', ')}.`.trim() });
}
