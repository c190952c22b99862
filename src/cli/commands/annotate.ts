// PLACEHOLDER until the annotate command is implemented.
import type { CommandContext } from '../context.js';
import { ExitError } from '../../errors.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new ExitError(1, 'annotate: not implemented yet');
}
