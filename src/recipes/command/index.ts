// plone.recipe.command: runs the user's shell command on install (`command`)
// and on update (`update-command`). The option's documented meaning is a shell
// command line written by the user, so it is run as `/bin/sh -c <command>`; no
// shell text is ever built from other values.
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import { defineRecipe, type RecipeContext } from '../types.js';
import { commandSchema, type CommandOptions } from './schema.js';

async function execute(ctx: RecipeContext<CommandOptions>, option: 'command' | 'update-command', command: string): Promise<void> {
  const { run } = await import('../../process/run.js');
  ctx.log.info(`Running '${command}'`);
  const r = await run('/bin/sh', ['-c', command], {
    cwd: ctx.buildout.options.directory,
    onLine: (line) => ctx.log.info(line),
  });
  if (r.exitCode === 0) return;
  const status = r.exitCode === undefined ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.exitCode}`;
  if (ctx.options['stop-on-error']) {
    throw new BuildoutError('CommandFailed', `Non zero exit code: the ${option} of [${ctx.part}] ${status}.`, {
      section: ctx.part,
      option,
      hint: "Its output is shown above. Set stop-on-error = false to carry on regardless (the recipe's default).",
    });
  }
  ctx.log.warn(`The ${option} of [${ctx.part}] ${status} (stop-on-error is false, carrying on).`);
}

export default defineRecipe({
  name: 'plone.recipe.command',
  schema: commandSchema,
  async install(ctx) {
    await execute(ctx, 'command', ctx.options.command);
    const dir = ctx.buildout.options.directory ?? '.';
    const locations = ctx.options.location.map((p) => (isAbsolute(p) ? p : join(dir, p)));
    ctx.created(...locations);
    return locations;
  },
  /** Runs `update-command` when the part is unchanged (hooks.alwaysUpdate makes that every run). */
  async update(ctx) {
    const command = ctx.options['update-command'];
    if (command !== undefined && command.trim() !== '') await execute(ctx, 'update-command', command);
    return [];
  },
});
