// `buildout develop <command> …` and bin/develop: mr.developer's develop script.
// Which buildout it works on, as mr.developer's: the nearest directory above
// the current one with a .mr.developer.cfg, configured with the arguments of its
// last plain buildout run (`-c FILE`, assignments); an explicit `-c` wins.
import { join, resolve } from 'node:path';
import type { CommandContext } from '../context.js';
import type { LoadOptions } from '../../config/types.js';
import { loadBuildout } from '../../config/resolve.js';
import { parseArgs } from '../args.js';
import { developInfo } from '../../develop/develop-info.js';
import { openSession } from '../../develop/session.js';
import { findStateDirectory, readState } from '../../develop/state.js';
import { helpText, isHelpOnly, runSubcommand } from '../../develop/commands/index.js';
import { DEVELOP_HOME_ENV } from '../../extensions/mr-developer/script.js';
import { packageRoot } from '../../package-root.js';

export async function run(ctx: CommandContext): Promise<number> {
  if (isHelpOnly(ctx.args)) {
    ctx.out(helpText(ctx.args));
    return 0;
  }
  const load = developLoad(ctx);
  const b = await loadBuildout(load);
  const session = openSession({ options: b.buildout, section: (n) => b.section(n), hasSection: (n) => b.hasSection(n) }, ctx.log);
  const { develeggs } = developInfo(session.settings, session.sources, session.autoCheckout, session.state);
  return runSubcommand(
    {
      session,
      develeggs,
      log: ctx.log,
      out: ctx.out,
      rerun: async (args) => {
        const { run: runProcess } = await import('../../process/run.js');
        const r = await runProcess(process.execPath, [join(packageRoot(), 'bin', 'buildout'), ...args], { cwd: session.settings.directory, inherit: true });
        return r.exitCode ?? 1;
      },
    },
    ctx.args,
  );
}

/** The configuration the develop script works on (see the header). */
export function developLoad(ctx: CommandContext): LoadOptions {
  if (ctx.load.configFile !== undefined) return ctx.load;
  const home = process.env[DEVELOP_HOME_ENV];
  const base = findStateDirectory(ctx.cwd) ?? (home ? resolve(home) : undefined);
  if (base === undefined) return ctx.load;
  const stored = readState(base).buildoutArgs.slice(1);
  let parsed: ReturnType<typeof parseArgs> | undefined;
  try {
    parsed = parseArgs(stored);
  } catch {
    parsed = undefined;
  }
  return {
    ...ctx.load,
    cwd: base,
    configFile: parsed?.configFile,
    userDefaults: parsed ? parsed.userDefaults && ctx.load.userDefaults !== false : ctx.load.userDefaults,
    assignments: [...(parsed?.assignments ?? []), ...(ctx.load.assignments ?? [])],
  };
}
