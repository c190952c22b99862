// The walk over a command's words that buildout's commands and mr.developer's `develop`
// subcommands share: positional words (all of them after `--`), `-h`/`--help` anywhere, and
// options, which each parser reads in its own dialect (commander's, argparse's).

export interface CommandWords {
  args: string[];
  help: boolean;
}

/**
 * Walks `words`; `option(word, next)` is called for each option word and returns how many of the
 * words after it it took as its value (0 for a flag). `next` is the word after it, if any.
 */
export function walkCommandWords(words: readonly string[], option: (word: string, next: string | undefined) => number): CommandWords {
  const out: CommandWords = { args: [], help: false };
  let onlyArgs = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (onlyArgs || !word.startsWith('-') || word === '-') out.args.push(word);
    else if (word === '--') onlyArgs = true;
    else if (word === '--help' || word === '-h') out.help = true;
    else i += option(word, words[i + 1]);
  }
  return out;
}
