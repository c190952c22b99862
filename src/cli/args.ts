// zc.buildout's command-line grammar (spec §8), parsed by hand because it has
// bundled flags, `-cFILE`, assignments interleaved with options and a command
// word after which everything belongs to the command.
import { BuildoutError } from '../errors.js';
import type { Assignment, Op } from '../config/types.js';

export interface ParsedArgs {
  configFile?: string;
  userDefaults: boolean;
  /** flags turned into assignments, in the order given (the engine sorts them) */
  assignments: Assignment[];
  verbosity: number;
  debug: boolean;
  help: boolean;
  version: boolean;
  /** --frozen: install exactly what the lock file lists (program.ts sets buildout:frozen to it) */
  frozen: boolean;
  /** undefined when no command word was given (install) */
  command?: string;
  args: string[];
}

const HELP_HINT = 'Run `buildout --help` for the options.';

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const out: ParsedArgs = { userDefaults: true, assignments: [], verbosity: 0, debug: false, help: false, version: false, frozen: false, args: [] };
  const args = [...argv];
  while (args.length) {
    const arg = args[0]!;
    if (arg.startsWith('-')) {
      args.shift();
      if (arg === '--help') {
        out.help = true;
        continue;
      }
      if (arg === '--version') {
        out.version = true;
        continue;
      }
      if (arg === '--frozen') {
        out.frozen = true;
        continue;
      }
      if (arg.startsWith('--')) throw usage(`Invalid option '${arg}'`);
      let op = arg.slice(1);
      // zc.buildout's set of bundled flags; its W and A fall through to help, as h does
      while (op && 'vqhWUoOnNDA'.includes(op[0]!)) {
        applyFlag(out, op[0]!);
        op = op.slice(1);
      }
      if (op[0] === 'c') {
        const rest = op.slice(1);
        if (rest) out.configFile = rest;
        else if (args.length) out.configFile = args.shift()!;
        else throw usage(`No file name specified for option ${arg}`);
      } else if (op[0] === 't') {
        // zc.buildout always takes the next word; `-t5` is accepted too
        const value = op.slice(1) || args.shift();
        if (value === undefined) throw usage(`No timeout value specified for option ${arg}`);
        if (!/^\s*[-+]?\d+(_\d+)*\s*$/.test(value)) throw usage(`Timeout value must be numeric: ${arg} ${value}`, 'Give the socket timeout in whole seconds, e.g. `-t 30`.');
        out.assignments.push(assign('buildout', 'socket-timeout', '=', value));
      } else if (op) {
        throw usage(`Invalid option '-${op[0]}'${arg.length > 2 ? ` (in '${arg}')` : ''}`);
      }
    } else if (arg.includes('=')) {
      args.shift();
      out.assignments.push(parseAssignment(arg));
    } else {
      out.command = args.shift();
      out.args = args;
      break;
    }
  }
  if (out.verbosity) out.assignments.push(assign('buildout', 'verbosity', '=', String(out.verbosity)));
  return out;
}

/** `[section:]option[+|-]=value`, split at the first `=`, all three parts trimmed. */
export function parseAssignment(arg: string): Assignment {
  const eq = arg.indexOf('=');
  const lhs = arg.slice(0, eq);
  const value = arg.slice(eq + 1).trim();
  const parts = lhs.split(':');
  if (parts.length > 2) {
    throw new BuildoutError('UsageError', `Invalid option: ${arg}`, { hint: 'An assignment is `section:option=value` or `option=value` (for [buildout]).' });
  }
  const section = parts.length === 2 ? parts[0]!.trim() : 'buildout';
  let option = parts[parts.length - 1]!.trim();
  let op: Op = '=';
  if (option.endsWith('+')) op = '+=';
  else if (option.endsWith('-')) op = '-=';
  if (op !== '=') option = option.slice(0, -1).trimEnd();
  if (!section || !option) throw new BuildoutError('UsageError', `Invalid option: ${arg}`, { hint: 'Both the section and the option name must be non-empty.' });
  return { section, option, op, value };
}

// --- internal ---

function applyFlag(out: ParsedArgs, f: string): void {
  switch (f) {
    case 'v':
      out.verbosity += 10;
      break;
    case 'q':
      out.verbosity -= 10;
      break;
    case 'U':
      out.userDefaults = false;
      break;
    case 'o':
      out.assignments.push(assign('buildout', 'offline', '=', 'true'));
      break;
    case 'O':
      out.assignments.push(assign('buildout', 'offline', '=', 'false'));
      break;
    case 'n':
      out.assignments.push(assign('buildout', 'newest', '=', 'true'));
      break;
    case 'N':
      out.assignments.push(assign('buildout', 'newest', '=', 'false'));
      break;
    case 'D':
      out.debug = true;
      break;
    case 'h':
    case 'W':
    case 'A':
      out.help = true;
      break;
  }
}

function assign(section: string, option: string, op: Op, value: string): Assignment {
  return { section, option, op, value };
}

function usage(message: string, hint = HELP_HINT): BuildoutError {
  return new BuildoutError('UsageError', message, { hint });
}
