// mr.developer, built in: `extensions = mr.developer` checks out the
// auto-checkout sources (and updates them with always-checkout or `update=true`),
// makes every active checkout a develop egg (`[buildout] develop`), clears its
// `[versions]` pin, writes bin/develop and keeps `.mr.developer.cfg`, before the
// parts are materialised — what the Python extension does in zc.buildout.
// A run with nothing to check out or update starts no process: existing git, hg
// and fs checkouts are recognised from their files.
import { join } from 'node:path';
import { parseArgs } from '../../cli/args.js';
import type { Logger } from '../../log.js';
import { developInfo, type DevelopInfo } from '../../develop/develop-info.js';
import type { DevelopSettings } from '../../develop/types.js';
import { openSession } from '../../develop/session.js';
import { saveState } from '../../develop/state.js';
import { checkoutSources } from '../../develop/working-copies.js';
import type { Extension, ExtensionContext } from '../types.js';
import { writeDevelopScript } from './script.js';

async function load(ctx: ExtensionContext): Promise<void> {
  const log = prefixed(ctx.log, 'mr.developer: ');
  // zc.buildout runs extensions for install only; any other command gets the develop list
  // of the existing checkouts, without checking out, writing or creating anything
  const acting = ctx.command === 'install';
  const session = openSession(ctx.buildout, log, { create: acting });
  const { settings, state, sources, autoCheckout } = session;
  if (!acting) {
    setOptions(ctx, settings, developInfo(settings, sources, autoCheckout, state));
    return;
  }

  // the auto-checkout sources, and the develop eggs asked to be updated
  const packages = new Set(autoCheckout);
  for (const name of developInfo(settings, sources, autoCheckout, state).develeggs.keys()) {
    const s = sources.get(name);
    if (s && (settings.alwaysCheckout !== false || s.options.update !== undefined)) packages.add(name);
  }
  await checkoutSources(
    sources,
    [...packages].sort(),
    {
      update: settings.alwaysCheckout !== false,
      force: settings.alwaysCheckout === 'force',
      submodules: settings.submodules,
      offline: ctx.offline,
      verbose: ctx.verbosity > 0 || settings.verbose,
      acceptCertificate: settings.acceptCertificate,
    },
    // -v output of the version-control programs goes to stderr: stdout stays for install --json
    { threads: session.threads, log, section: settings.sourcesSection, out: (text) => log.info(text.trimEnd()) },
  );

  // after the checkouts: what is now checked out and active
  setOptions(ctx, settings, developInfo(settings, sources, autoCheckout, state));

  writeDevelopScript(ctx.buildout.options['bin-directory'] ?? join(settings.directory, 'bin'), settings.directory);
  // the arguments of a plain `buildout` run are kept for `develop rebuild` (not those of `buildout install x`)
  const argv = process.argv.slice(2);
  const plainRun = isPlainRun(argv);
  if (plainRun) state.buildoutArgs = [process.argv[1] ?? 'buildout', ...argv];
  saveState(state, plainRun);
}

const extension: Extension = {
  name: 'mr.developer',
  load,
  // what mr.developer 3 reads of [buildout] (git-clone-depth only when it checks out with git)
  buildoutOptions: ['sources', 'sources-dir', 'auto-checkout', 'always-checkout', 'update-git-submodules', 'git-clone-depth', 'mr.developer-threads', 'mr.developer-verbose', 'always-accept-server-certificate'],
};
export default extension;

// --- internal ---

// mr.developer's effect on the buildout: the develop eggs, the absolute sources-dir, no pins for them.
function setOptions(ctx: ExtensionContext, settings: DevelopSettings, info: DevelopInfo): void {
  ctx.setOption('buildout', 'develop', info.develop.join('\n'));
  ctx.setOption('buildout', 'sources-dir', settings.sourcesDir);
  if (settings.versionsSection) for (const name of info.unpinned) ctx.setOption(settings.versionsSection, name, '');
}

// mr.developer stores the arguments only when no command word was given.
function isPlainRun(argv: string[]): boolean {
  try {
    return parseArgs(argv).command === undefined;
  } catch {
    return false;
  }
}

// mr.developer's messages carry its logger's name, as zc.buildout prints them.
function prefixed(log: Logger, prefix: string): Logger {
  return {
    get level() {
      return log.level;
    },
    set level(l: number) {
      log.level = l;
    },
    debug: (m) => log.debug(prefix + m),
    info: (m) => log.info(prefix + m),
    warn: (m) => log.warn(prefix + m),
    error: (m) => log.error(prefix + m),
  };
}
