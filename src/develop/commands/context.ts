// What a develop subcommand works with, and mr.developer's package selection
// (`-a` auto-checkout only, `-d` develop eggs only, `-c` checked out only, then
// the regular expressions, any of which may match anywhere in the name).
import { existsSync } from 'node:fs';
import { BuildoutError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { DevelopSession } from '../session.js';
import type { ParsedSubcommand } from './args.js';

export interface DevelopCommandContext {
  session: DevelopSession;
  /** develop eggs by name, as the last buildout run made them (`develop` entries and active sources) */
  develeggs: ReadonlyMap<string, string>;
  log: Logger;
  /** results (stdout) */
  out(text: string): void;
  /** runs buildout-ts with these arguments in the buildout directory (rebuild); returns its exit code */
  rerun(args: string[]): Promise<number>;
}

export interface Selection {
  auto?: boolean;
  develop?: boolean;
  checkedOut?: boolean;
}

/** The names of the sources a subcommand's arguments select. */
export function selectPackages(ctx: DevelopCommandContext, parsed: ParsedSubcommand, force: Selection = {}): Set<string> {
  const { sources, autoCheckout } = ctx.session;
  const auto = force.auto ?? parsed.flags.has('auto-checkout');
  const develop = force.develop ?? parsed.flags.has('develop');
  const checkedOut = force.checkedOut ?? parsed.flags.has('checked-out');
  let packages = new Set(auto ? [...autoCheckout] : [...sources.keys()]);
  if (develop) packages = new Set([...packages].filter((n) => ctx.develeggs.has(n)));
  if (checkedOut) packages = new Set([...packages].filter((n) => existsSync(sources.get(n)!.path)));
  const regexps = parsed.args;
  if (!regexps.length) return packages;
  let re: RegExp;
  try {
    re = new RegExp(regexps.map((x) => `(${x})`).join('|'));
  } catch (e) {
    throw new BuildoutError('UsageError', `Invalid package regular expression: ${(e as Error).message}`);
  }
  const result = new Set([...packages].filter((n) => re.test(n)));
  if (!result.size) {
    const quoted = regexps.map((x) => `'${x}'`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : quoted[0]!;
    throw new BuildoutError('UsageError', `No package matched ${list}.`, { hint: '`develop list` shows the packages of the sources section.' });
  }
  return result;
}

export function sorted(names: Iterable<string>): string[] {
  return [...names].sort();
}
