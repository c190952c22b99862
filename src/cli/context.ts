// What every command receives. Commands are plain async functions that return
// an exit code and never call process.exit, so tests can call them directly.
import type { LoadOptions } from '../config/types.js';
import type { Logger } from '../log.js';

export interface CommandContext {
  cwd: string;
  /** how to load the configuration: -c, -U, assignments (flags already turned into assignments) */
  load: LoadOptions;
  /** the command's positional words, e.g. `annotate buildout versions` → ['buildout', 'versions'] */
  args: string[];
  /** the command's own options that were given, by key (command-table.ts): `--json` → { json: true }, `--server x` → { server: 'x' } */
  flags: Readonly<Record<string, boolean | string>>;
  /** verbosity from -v/-q: 0 normal, >0 more, <0 less */
  verbosity: number;
  log: Logger;
  /** standard output (results); logs go to stderr through `log` */
  out(text: string): void;
  /** -D/--debug: show stack traces */
  debug: boolean;
}

export type Command = (ctx: CommandContext) => Promise<number>;
