// Options of plone.recipe.command.
import { z } from 'zod';
import { bool, words } from '../options.js';

export const commandSchema = z.object({
  command: z.string({ error: 'No command specified' }).refine((v) => v.trim() !== '', { message: 'No command specified' }),
  'update-command': z.string().optional(),
  'stop-on-error': bool(false),
  /** paths the command creates: recorded, and removed when the part is uninstalled */
  location: words(),
});

export type CommandOptions = z.output<typeof commandSchema>;
