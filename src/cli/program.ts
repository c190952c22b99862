// Turns argv into a CommandContext and runs the command, loading its module lazily.
import type { CommandContext, Command } from './context.js';
import { createLogger, LEVELS } from '../log.js';
import { BuildoutError } from '../errors.js';
import { HELP_TEXT, parseArgs } from './args.js';

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  annotate: () => import('./commands/annotate.js'),
  query: () => import('./commands/query.js'),
  install: () => import('./commands/install.js'),
};

/** zc.buildout commands we deliberately do not implement. */
const UNSUPPORTED: Record<string, string> = {
  bootstrap: 'buildout-ts needs no bootstrap: run `buildout` (install) directly.',
  init: 'Write a buildout.cfg by hand; see the examples/ folder.',
  setup: 'Run the setup script with the Python of your choice instead.',
  runsetup: 'Run the setup script with the Python of your choice instead.',
  upgrade: 'Upgrade buildout-ts with npm instead.',
};

export async function runProgram(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.help) {
    process.stdout.write(HELP_TEXT);
    return 0;
  }
  if (parsed.version) {
    const { packageVersion } = await import('../package-root.js');
    process.stdout.write(`buildout-ts ${packageVersion()} (zc.buildout 6.0 compatible)\n`);
    return 0;
  }
  const command = parsed.command ?? 'install';
  const loader = COMMANDS[command];
  if (!loader) {
    if (command in UNSUPPORTED) throw new BuildoutError('UnsupportedCommand', `The '${command}' command is not supported by buildout-ts.`, { hint: UNSUPPORTED[command] });
    throw new BuildoutError('UsageError', `Invalid command: ${command}`, { hint: 'Commands: install, annotate, query. Run `buildout --help`.' });
  }
  const cwd = process.cwd();
  const ctx: CommandContext = {
    cwd,
    load: { cwd, configFile: parsed.configFile, userDefaults: parsed.userDefaults, assignments: parsed.assignments },
    args: parsed.args,
    verbosity: parsed.verbosity,
    log: createLogger({ level: LEVELS.INFO - parsed.verbosity }),
    out: (t) => process.stdout.write(t),
    debug: parsed.debug,
  };
  const mod = await loader();
  return mod.run(ctx);
}
