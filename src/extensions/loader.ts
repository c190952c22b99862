// `[buildout] extensions`: each name is a built-in extension (registry.ts) or a Python
// distribution whose `zc.buildout.extension` entry points run in our Python host with the
// buildout object (install only: the commands that only resolve start no process). They run
// once [buildout] is materialised and before any part is, as zc.buildout's `install` runs
// them; `unload` runs the built-in `unload` hooks and the `zc.buildout.unloadextension`
// entry points at the end of a successful install.
import type { Buildout } from '../config/types.js';
import { BuildoutError } from '../errors.js';
import type { Logger } from '../log.js';
import { findBuiltinExtension } from './registry.js';
import type { Extension, ExtensionCommand, ExtensionContext } from './types.js';

/** What runs Python extensions (the install run's Python recipes session). */
export interface PythonExtensions {
  load(specs: readonly string[]): Promise<string[]>;
  unload(specs: readonly string[]): Promise<string[]>;
}

export interface LoadedExtensions {
  /** names of the extensions that ran */
  names: string[];
  /** [buildout] options the built-in ones read (the Python ones' reads are the session's) */
  buildoutOptions?: readonly string[];
  unload(): Promise<void>;
}

const SUPERSEDED = ['buildout-versions', 'buildout.dumppickedversions'];

export async function loadExtensions(bo: Buildout, x: { command: ExtensionCommand; log: Logger; python?: PythonExtensions }): Promise<LoadedExtensions> {
  const specs = (bo.buildout.extensions ?? '').split(/\s+/).filter(Boolean);
  if (specs.length === 0) return { names: [], unload: async () => {} };
  const superseded = specs.find((s) => SUPERSEDED.includes(s));
  if (superseded) {
    throw new BuildoutError('UserError', `Buildout now includes 'buildout-versions' (and part of the older 'buildout.dumppickedversions').\nRemove the extension from your configuration and look at the 'show-picked-versions' option in buildout's documentation.`, {
      section: 'buildout',
      option: 'extensions',
    });
  }
  const ctx = extensionContext(bo, x.command, x.log);
  const builtins: Extension[] = [];
  const python: string[] = [];
  for (const spec of specs) {
    const load = findBuiltinExtension(spec);
    if (load) builtins.push((await load()).default);
    else python.push(spec);
  }
  const names: string[] = [];
  for (const ext of builtins) {
    await withDoing(ext.load(ctx), 'Loading extensions.');
    names.push(ext.name);
  }
  if (python.length && x.python) names.push(...(await withDoing(x.python.load(python), 'Loading extensions.')));
  else if (python.length) x.log.debug(`Python extensions run on install only: ${python.join(', ')}`);
  return {
    names,
    buildoutOptions: builtins.flatMap((e) => e.buildoutOptions ?? []),
    async unload() {
      for (const ext of builtins) if (ext.unload) await withDoing(ext.unload(ctx), 'Unloading extensions.');
      if (python.length && x.python) await withDoing(x.python.unload(python), 'Unloading extensions.');
    },
  };
}

/** The context every built-in extension gets. */
export function extensionContext(bo: Buildout, command: ExtensionCommand, log: Logger): ExtensionContext {
  const reader = bo.reader('buildout');
  const b = bo.buildout;
  const offline = b.offline === 'true';
  return {
    directory: b.directory ?? '',
    buildout: {
      get options() {
        return bo.buildout;
      },
      section: (name) => reader.section(name),
      hasSection: (name) => reader.hasSection(name),
      sectionNames: () => bo.sectionNames(),
    },
    setOption: (section, option, value) => bo.setOption(section, option, value),
    offline,
    newest: !offline && b.newest !== 'false',
    verbosity: Math.trunc((Number.parseInt(b.verbosity ?? '0', 10) || 0) / 10),
    log,
    command,
  };
}

async function withDoing<T>(p: Promise<T>, doing: string): Promise<T> {
  try {
    return await p;
  } catch (e) {
    if (e instanceof BuildoutError && !e.doing.includes(doing)) e.while(doing);
    throw e;
  }
}
