// Parses the words after a command name against its row of the command table.
// This runs on every invocation, so it stays tiny instead of loading commander
// (which costs ~7 ms of CPU per run, see help.ts); command-args.test.ts checks that
// it accepts and rejects exactly what a commander program built from the same
// table does.
import { BuildoutError } from '../errors.js';
import type { CommandSpec } from './command-table.js';
import { didYouMean } from '../config/hints.js';
import { walkCommandWords } from './command-words.js';

export interface CommandArgs {
  /** `--help`/`-h` among the words: print the command's help instead of running it */
  help: boolean;
  /** the command's options that were given, by key (`--json` → json: true, `--server x` → server: 'x') */
  flags: Record<string, boolean | string>;
  /** the positional words */
  args: string[];
}

export function parseCommandArgs(spec: CommandSpec, words: readonly string[]): CommandArgs {
  const out: CommandArgs = { help: false, flags: Object.create(null) as Record<string, boolean | string>, args: [] };
  if (spec.passThrough) return passThrough(words, out);
  // --help anywhere wins over a bad option, as in commander
  let bad: BuildoutError | undefined;
  const walked = walkCommandWords(words, (word, next) => {
    const eq = word.indexOf('=');
    const valued = spec.options.find((o) => o.value && o.flag === (eq > 0 ? word.slice(0, eq) : word));
    if (valued) {
      // commander's rule: the value is the next word, whatever it looks like
      const value = eq > 0 ? word.slice(eq + 1) : next;
      // a missing or wrong value stops at once, as in commander (a later --help does not help)
      if (value === undefined) throw usage(spec, `The option ${valued.flag} of ${spec.name} needs a value (${valued.value}).`);
      if (valued.choices && !valued.choices.includes(value)) throw usage(spec, `Invalid value for ${valued.flag}: '${value}'. Choose one of: ${valued.choices.join(', ')}.`);
      out.flags[valued.key] = value;
      return eq > 0 ? 0 : 1;
    }
    const option = spec.options.find((o) => o.flag === word || o.short === word);
    // one-letter options bundle, as in commander (`-yy`)
    const bundle = !option && /^-[A-Za-z]{2,}$/.test(word) ? [...word.slice(1)].map((c) => spec.options.find((o) => o.short === `-${c}`)) : [];
    if (option) out.flags[option.key] = true;
    else if (bundle.length && bundle.every(Boolean)) for (const o of bundle) out.flags[o!.key] = true;
    else bad ??= unknownOption(spec, word);
    return 0;
  });
  out.args = walked.args;
  out.help = walked.help;
  if (out.help) return out;
  if (bad) throw bad;
  const arg = spec.argument;
  if (!arg && out.args.length) throw usage(spec, `The ${spec.name} command takes no arguments (got '${out.args[0]}').`);
  // zc.buildout's words for query, whether none or several were given
  if (arg?.required && out.args.length !== 1) throw usage(spec, `The ${spec.name} command requires a single argument.`);
  if (arg && !arg.variadic && out.args.length > 1) throw usage(spec, `The ${spec.name} command takes at most one ${arg.name} (got ${out.args.join(' ')}).`);
  return out;
}

/** `Usage: buildout query [options] [SECTION:]OPTION`, for hints. */
export function usageLine(spec: CommandSpec): string {
  const flags = spec.options.map((o) => `[${o.short ? `${o.short}|` : ''}${o.flag}${o.value ? ` ${o.value}` : ''}]`).join(' ');
  const arg = spec.argument ? (spec.argument.required ? spec.argument.name : `[${spec.argument.name}${spec.argument.variadic ? '...' : ''}]`) : '';
  return ['buildout', spec.name, flags, arg].filter(Boolean).join(' ');
}

// --- internal ---

// The command's words are its own. As commander's passThroughOptions: a `--` first is
// dropped; when the words start with a flag, a --help/-h among them asks for our help.
function passThrough(words: readonly string[], out: CommandArgs): CommandArgs {
  const first = words[0];
  if (first === '--') out.args.push(...words.slice(1));
  else if (first !== undefined && first.length > 1 && first.startsWith('-') && words.some((w) => w === '--help' || w === '-h')) out.help = true;
  else out.args.push(...words);
  return out;
}

function unknownOption(spec: CommandSpec, word: string): BuildoutError {
  const flag = word.split('=')[0]!;
  const known = spec.options.find((o) => o.flag === flag);
  if (known) return usage(spec, `The option ${flag} of ${spec.name} takes no value (got '${word}').`);
  const close = didYouMean(flag, spec.options.map((o) => o.flag));
  return new BuildoutError('UsageError', `Invalid option for ${spec.name}: '${word}'`, {
    hint: `${close ? `Did you mean ${close}? ` : ''}Usage: ${usageLine(spec)} (\`buildout ${spec.name} --help\` describes it). Options such as -c, -v and -N go before the command.`,
  });
}

function usage(spec: CommandSpec, message: string): BuildoutError {
  return new BuildoutError('UsageError', message, { hint: `Usage: ${usageLine(spec)} (\`buildout ${spec.name} --help\` describes it).` });
}
