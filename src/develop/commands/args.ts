// The words of one develop subcommand, parsed as mr.developer's argparse parsers
// take them: short flags that bundle (`-ac`), long flags, then package regexps.
import { BuildoutError } from '../../errors.js';
import { walkCommandWords } from '../../cli/command-words.js';

export interface FlagSpec {
  short?: string;
  long: string;
  /** the key in the parsed flags (defaults to the long name) */
  key?: string;
  help: string;
}

export interface SubcommandSpec {
  name: string;
  aliases: string[];
  summary: string;
  flags: FlagSpec[];
  /** none, one or more (`+`), any number (`*`), or at most one command name (`?`) */
  positional: 'none' | '+' | '*' | '?';
}

export interface ParsedSubcommand {
  flags: Set<string>;
  /** `--name`, `--path`, `--type`, `--url` of info, in the order given */
  ordered: string[];
  args: string[];
  help: boolean;
}

export function parseSubcommand(spec: SubcommandSpec, words: readonly string[]): ParsedSubcommand {
  const flags = new Set<string>();
  const ordered: string[] = [];
  const take = (f: FlagSpec) => {
    flags.add(f.key ?? f.long);
    ordered.push(f.key ?? f.long);
  };
  const { args, help } = walkCommandWords(words, (word) => {
    if (word.startsWith('--')) {
      const f = spec.flags.find((x) => `--${x.long}` === word);
      if (!f) throw usage(spec, `unrecognized argument: ${word}`);
      take(f);
      return 0;
    }
    for (const ch of word.slice(1)) {
      const f = spec.flags.find((x) => x.short === ch);
      if (!f) throw usage(spec, `unrecognized argument: -${ch}${word.length > 2 ? ` (in ${word})` : ''}`);
      take(f);
    }
    return 0;
  });
  const out: ParsedSubcommand = { flags, ordered, args, help };
  if (out.help) return out;
  if (spec.positional === 'none' && out.args.length) throw usage(spec, `unrecognized arguments: ${out.args.join(' ')}`);
  if (spec.positional === '+' && !out.args.length) throw usage(spec, 'the following arguments are required: package-regexp');
  if (spec.positional === '?' && out.args.length > 1) throw usage(spec, `unrecognized arguments: ${out.args.slice(1).join(' ')}`);
  return out;
}

/** `develop status [-a] [-c] [-d] [-v] [package-regexp ...]` and the flags' help. */
export function subcommandHelp(spec: SubcommandSpec): string {
  const flags = spec.flags.map((f) => `[${f.short ? `-${f.short}` : `--${f.long}`}]`).join(' ');
  const pos = { none: '', '+': 'package-regexp [package-regexp ...]', '*': '[package-regexp ...]', '?': '[command]' }[spec.positional];
  const lines = [`usage: develop ${spec.name} ${flags} ${pos}`.replace(/\s+$/, '').replace(/ {2,}/g, ' '), '', spec.summary];
  if (spec.aliases.length) lines.push('', `Aliases: ${spec.aliases.join(', ')}`);
  if (spec.flags.length) {
    lines.push('', 'options:');
    for (const f of spec.flags) lines.push(`  ${[f.short ? `-${f.short}` : '', `--${f.long}`].filter(Boolean).join(', ').padEnd(22)} ${f.help}`);
  }
  return lines.join('\n') + '\n';
}

function usage(spec: SubcommandSpec, message: string): BuildoutError {
  return new BuildoutError('UsageError', `develop ${spec.name}: error: ${message}`, { hint: `\`develop help ${spec.name}\` describes its arguments.` });
}
