// The commands of `buildout`, their arguments and their own options: one table
// that both the start-up parser (command-args.ts) and the help (help.ts, built
// with commander) read, so that what is parsed and what is documented agree.

export type CommandName = 'install' | 'plan' | 'annotate' | 'query' | 'check' | 'develop' | 'lock' | 'init' | 'help';

export interface CommandOption {
  /** the long flag, e.g. `--json` */
  flag: `--${string}`;
  /** a one-letter alias, e.g. `-y` */
  short?: `-${string}`;
  /** the key commands read in `ctx.flags`, e.g. `json` */
  key: string;
  description: string;
  /** the option takes a value (`--server NAME`, `--server=NAME`): its name in the help */
  value?: string;
  /** the values allowed */
  choices?: readonly string[];
}

export interface CommandArgument {
  /** as shown in usage lines, e.g. `PART` */
  name: string;
  description: string;
  /** `PART...`: any number of words */
  variadic?: boolean;
  /** exactly one word is needed */
  required?: boolean;
}

export interface CommandSpec {
  name: CommandName;
  summary: string;
  /** more text printed after the options in the command's help */
  details?: string;
  argument?: CommandArgument;
  options: CommandOption[];
  /** the command parses its own words (flags included): only a first `--help`/`-h` is ours */
  passThrough?: boolean;
}

const JSON_OPTION = (what: string): CommandOption => ({ flag: '--json', key: 'json', description: what });

export const COMMAND_TABLE: readonly CommandSpec[] = [
  {
    name: 'install',
    summary: 'Install, update and uninstall parts (the default command).',
    details: 'Without PART, installs buildout:parts and uninstalls the parts no longer listed; with PART, installs exactly those parts.',
    argument: { name: 'PART', variadic: true, description: 'parts to install (default: buildout:parts)' },
    options: [
      JSON_OPTION('print a machine-readable summary on stdout'),
      { flag: '--plan', key: 'plan', description: 'print what the run would do first (as `buildout plan`) and ask before going on; without a terminal (CI) it goes on' },
      { flag: '--yes', short: '-y', key: 'yes', description: 'do not ask (with --plan): go on after printing the plan' },
    ],
  },
  {
    name: 'plan',
    summary: 'Show what an install would do, changing nothing.',
    details:
      'Lists the parts that would be installed, reinstalled, updated or uninstalled and why (each changed option with its old and new value, changed input files, missing files), the generated configuration files that would change with a unified diff (zope.conf, wsgi.ini, site.zcml, zeo.conf, template outputs), and the distributions the Python environment would gain or change (the installer resolves in a temporary folder, only when the environment\'s inputs changed). Writes nothing in the buildout, takes no lock, and starts no process but that resolution. Exits 0 whether or not something would change.',
    argument: { name: 'PART', variadic: true, description: 'plan `install PART...` (default: buildout:parts)' },
    options: [JSON_OPTION('print the plan as one JSON object on stdout')],
  },
  {
    name: 'annotate',
    summary: 'Show every option with the file and line where it was set.',
    details: 'Values are shown as written (after +=/-=), with their history. --json prints every section fully resolved ({"sections": {...}}) and fails, like install, on a part without a section or a recipe.',
    argument: { name: 'SECTION', variadic: true, description: 'sections to show (default: all)' },
    options: [JSON_OPTION('print {"sections": {SECTION: {OPTION: VALUE}}}, fully resolved; errors as {"error": {...}}'), { flag: '--interpolated', key: 'interpolated', description: 'show substituted values instead of raw ones' }],
  },
  {
    name: 'query',
    summary: 'Print the resolved value of one option.',
    argument: { name: '[SECTION:]OPTION', required: true, description: 'the option (the section defaults to buildout)' },
    options: [
      { flag: '--raw', key: 'raw', description: "print the value as written, before substitution (zc.buildout's output)" },
      { flag: '--interpolated', key: 'interpolated', description: 'print the substituted value (the default)' },
    ],
  },
  {
    name: 'check',
    summary: 'Check the whole configuration and report every problem (for CI and pre-commit).',
    details:
      'Resolves every section (not only the parts), checks buildout:parts, and validates the options of every part with its recipe. Each problem names file:line, section and option, with a did-you-mean where one helps. Exits 1 when there is an error (warnings alone exit 0).',
    options: [JSON_OPTION('print {"ok": BOOL, "problems": [...]} on stdout')],
  },
  {
    name: 'develop',
    summary: "mr.developer's develop command (also bin/develop): checkout, update, status, activate, deactivate, list, … of the sources.",
    details: 'Works on the buildout of the nearest .mr.developer.cfg above the current directory, with the arguments of its last buildout run (an explicit -c wins). `buildout develop help` lists the subcommands and their flags.',
    argument: { name: 'COMMAND [ARGS]', variadic: true, description: 'a develop subcommand and its own flags and package regexps' },
    options: [],
    passThrough: true,
  },
  {
    name: 'lock',
    summary: 'Write the lock file: every distribution of the environments, exact versions and hashes.',
    details:
      "Resolves what the parts, develop eggs and [versions] ask for, without installing anything, and writes <config>.lock beside the configuration (buildout.cfg → buildout.lock): the buildout's environment and, with Python recipes, the recipes' environment, each distribution with the SHA-256 of every file of its version. With uv the resolution covers every platform and every Python from this one's version on; with pip, this platform only. Versions already locked stay unless --upgrade. `buildout --frozen` then installs exactly that.",
    options: [
      { flag: '--check', key: 'check', description: 'write nothing; exit 1 naming what the configuration asks for that the lock lacks (for CI)' },
      { flag: '--upgrade', key: 'upgrade', description: 'resolve afresh instead of keeping the locked versions (pins still apply)' },
    ],
  },
  {
    name: 'init',
    summary: 'Write a new buildout.cfg (with --server: a Zope or Plone site to run at once).',
    details:
      "Without --server, as zc.buildout: an empty buildout.cfg ([buildout] parts =), or with REQUIREMENTs a part `py` (zc.recipe.egg) with an interpreter bin/py holding them, which is then installed. With --server: a Zope instance (Plone with --plone, a ZEO server with --zeo) served by that WSGI server at 127.0.0.1:8080, the versions file it needs, the server's wsgi.ini template, and a random admin password printed once. Never overwrites a file without --force.",
    argument: { name: 'REQUIREMENT', variadic: true, description: 'eggs for the `py` part (zc.buildout init); a path with a slash goes to extra-paths' },
    options: [
      { flag: '--server', key: 'server', value: 'NAME', choices: ['waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian'], description: 'the WSGI server of bin/instance' },
      { flag: '--plone', key: 'plone', description: 'a Plone site (Zope alone without it)' },
      { flag: '--zeo', key: 'zeo', description: 'a ZEO server part; the instance is its client' },
      { flag: '--http-address', key: 'http-address', value: 'HOST:PORT', description: 'where the instance listens (default 127.0.0.1:8080)' },
      { flag: '--force', key: 'force', description: 'overwrite existing files' },
    ],
  },
  {
    name: 'help',
    summary: 'Show help for a command.',
    argument: { name: 'COMMAND', description: 'the command to describe' },
    options: [],
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMAND_TABLE.find((c) => c.name === name);
}

/** zc.buildout commands we deliberately do not implement, with what to do instead. */
export const UNSUPPORTED_COMMANDS: Readonly<Record<string, string>> = {
  bootstrap: 'buildout-ts needs no bootstrap: run `buildout` (install) directly.',
  setup: 'Run the setup script with the Python of your choice instead.',
  runsetup: 'Run the setup script with the Python of your choice instead.',
  upgrade: 'Upgrade buildout-ts with npm instead.',
};
