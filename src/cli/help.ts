// `buildout --help`, `buildout COMMAND --help` and `buildout help [COMMAND]`: a
// commander program built from the command table renders the help. It is loaded
// only to print help: importing commander costs ~7 ms of CPU on every run (measured
// with hyperfine against `annotate --json` on the Plone core-dev configuration),
// a tenth of a resolve, so the start-up path parses with command-args.ts instead.
import { Command, Option } from 'commander';
import { COMMAND_TABLE, type CommandSpec } from './command-table.js';

/** The help text of the program (no name) or of one command of the table. */
export function renderHelp(command?: string): string {
  const program = buildProgram();
  let text = '';
  for (const c of [program, ...program.commands]) c.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) }).exitOverride();
  try {
    // commander's own `help [command]` command renders both forms
    program.parse(command ? ['help', command] : ['help'], { from: 'user' });
  } catch (e) {
    // exitOverride: commander "exits" after printing help
    if (!(e instanceof Error && 'code' in e && String((e as { code: unknown }).code).startsWith('commander.help'))) throw e;
  }
  return text;
}

/** The commander program for the table: global options, commands, `help [command]`. */
export function buildProgram(): Command {
  const program = new Command('buildout')
    .usage('[options] [section:option=value ...] [command [arguments]]')
    .description("A fast reimplementation of zc.buildout: reads buildout.cfg and installs its parts.\nWith no command, runs install.")
    .helpOption('-h, --help', 'print this help (also: buildout help [command])')
    .option('-c <file>', 'configuration file (default: buildout.cfg); also -cFILE')
    .option('-v', 'more output (repeatable; flags bundle: -vvN)')
    .option('-q', 'less output (repeatable)')
    .option('-U', "don't read user defaults ($BUILDOUT_HOME/default.cfg, default ~/.buildout/default.cfg)")
    .option('-o', 'offline mode (buildout:offline=true)')
    .option('-O', 'online mode (buildout:offline=false)')
    .option('-n', 'look for newer distributions (buildout:newest=true)')
    .option('-N', "don't look for newer distributions (buildout:newest=false)")
    .option('-t <secs>', 'socket timeout in seconds (buildout:socket-timeout)')
    .option('-D', 'show stack traces of errors (debugging)')
    .option('--frozen', 'install exactly what the lock file beside the configuration lists, hash-checked (see `buildout lock`)')
    .option('--version', 'print the version')
    .helpCommand('help [command]', 'show help for a command')
    // global options come before the command only, as in zc.buildout's grammar
    .enablePositionalOptions()
    .addHelpText(
      'after',
      [
        '',
        'Assignments:',
        '  section:option=value   set an option (the section defaults to buildout);',
        '                         `option+=value` / `option-=value` add or remove lines.',
        '  Options and assignments may be mixed in any order before the command; for one',
        '  option, the assignments are sorted and the last in order wins (as zc.buildout).',
        '',
        'Exit codes: 0 success, 1 a mistake in the configuration or the command line,',
        '2 an internal error (a bug in buildout-ts).',
      ].join('\n'),
    );
  for (const spec of COMMAND_TABLE) {
    if (spec.name !== 'help') addCommand(program, spec);
  }
  return program;
}

// --- internal ---

function addCommand(program: Command, spec: CommandSpec): void {
  const cmd = program.command(spec.name).description(spec.summary).helpOption('-h, --help', 'print this help');
  const a = spec.argument;
  if (a) cmd.argument(a.required ? `<${a.name}>` : `[${a.name}${a.variadic ? '...' : ''}]`, a.description);
  for (const o of spec.options) {
    const option = new Option(o.value ? `${o.short ? `${o.short}, ` : ''}${o.flag} <${o.value}>` : o.short ? `${o.short}, ${o.flag}` : o.flag, o.description);
    cmd.addOption(o.choices ? option.choices(o.choices) : option);
  }
  // the command's own flags (develop's -a, -v, …) go to it untouched
  if (spec.passThrough) cmd.allowUnknownOption().passThroughOptions();
  if (spec.details) cmd.addHelpText('after', '\n' + wrap(spec.details, 80));
  // options such as -c and -N belong before the command, as in zc.buildout
  cmd.addHelpText('after', `\nGlobal options and assignments go before the command: buildout [options] [section:option=value ...] ${spec.name} ...`);
}

function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join('\n');
}
