// Turns argv into a CommandContext and runs the command, loading its module lazily.
// PLACEHOLDER: the argument parser (src/cli/args.ts) replaces the naive parsing below.
import type { CommandContext, Command } from './context.js';
import { createLogger } from '../log.js';
import { ExitError } from '../errors.js';

const COMMANDS: Record<string, () => Promise<{ run: Command }>> = {
  annotate: () => import('./commands/annotate.js'),
  query: () => import('./commands/query.js'),
  install: () => import('./commands/install.js'),
};

export async function runProgram(argv: string[]): Promise<number> {
  const words = argv.filter((a) => !a.startsWith('-') && !a.includes('='));
  const command = words[0] ?? 'install';
  const loader = COMMANDS[command];
  if (!loader) throw new ExitError(1, `Error: unknown command '${command}'`);
  const ctx: CommandContext = {
    cwd: process.cwd(),
    load: { cwd: process.cwd() },
    args: words.slice(1),
    verbosity: 0,
    log: createLogger(),
    out: (t) => process.stdout.write(t),
    debug: false,
  };
  const mod = await loader();
  return mod.run(ctx);
}
