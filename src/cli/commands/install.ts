// PLACEHOLDER until the install command is implemented.
import type { CommandContext } from '../context.js';
import { ExitError } from '../../errors.js';

export async function run(_ctx: CommandContext): Promise<number> {
  throw new ExitError(1, 'install: not implemented yet');
}
