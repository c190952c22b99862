// Which packages are develop eggs: the `[buildout] develop` entries, then every
// egg source that is checked out and active — active because it is in
// auto-checkout (state `auto`) or was activated by hand (`true` in
// .mr.developer.cfg) — as mr.developer's get_develop_info decides it. The
// active sources' `[versions]` pins are cleared.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { BuildoutError } from '../errors.js';
import { safeName } from './sources.js';
import type { DevelopState } from './state.js';
import type { DevelopSettings, Source } from './types.js';

export interface DevelopInfo {
  /** the new `[buildout] develop` lines (paths inside the buildout relative to it) */
  develop: string[];
  /** develop eggs by name: the basenames of `develop` entries and the active sources */
  develeggs: Map<string, string>;
  /** the safe names of the active sources, whose version pins are cleared */
  unpinned: string[];
}

/** `auto-checkout` as a set of source names (`*`: all of them); names without a source are an error. */
export function autoCheckoutSet(settings: DevelopSettings, sources: ReadonlyMap<string, Source>): Set<string> {
  const names = new Set(settings.autoCheckout);
  if (names.has('*')) return new Set(sources.keys());
  const missing = [...names].filter((n) => !sources.has(n)).sort();
  if (missing.length) {
    const quoted = missing.map((m) => `'${m}'`);
    const list = quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : quoted[0]!;
    throw new BuildoutError('InvalidOption', `The package${missing.length > 1 ? 's' : ''} ${list} from auto-checkout ${missing.length > 1 ? 'have' : 'has'} no source information.`, {
      section: 'buildout',
      option: 'auto-checkout',
      hint: `Add ${missing.length > 1 ? 'them' : 'it'} to the [${settings.sourcesSection}] section, or remove ${missing.length > 1 ? 'them' : 'it'} from auto-checkout.`,
    });
  }
  return names;
}

/** mr.developer's develop list; updates `state.develop` as it does (auto entries set or dropped). */
export function developInfo(settings: DevelopSettings, sources: ReadonlyMap<string, Source>, autoCheckout: ReadonlySet<string>, state: DevelopState): DevelopInfo {
  const develeggs = new Map<string, string>();
  for (const path of settings.develop.split(/\s+/).filter(Boolean)) develeggs.set(basename(path.replace(/\/+$/, '')), path);
  const unpinned: string[] = [];
  const flags = state.develop;
  for (const [name, source] of sources) {
    if (!source.egg || develeggs.has(name)) continue;
    // `subpath=`: the Python project is a directory of the repository
    const path = source.options.subpath ? join(source.path, source.options.subpath) : source.path;
    const status = flags.has(name) ? flags.get(name)! : autoCheckout.has(name);
    if (!status || !existsSync(path)) continue;
    if (autoCheckout.has(name)) {
      if (!flags.has(name)) flags.set(name, 'auto');
    } else {
      // activated by auto-checkout earlier, and no longer in it: no longer a develop egg
      if (status === 'auto') {
        flags.delete(name);
        continue;
      }
      if (!flags.has(name)) flags.set(name, true);
    }
    develeggs.set(name, path);
    unpinned.push(safeName(name));
  }
  const prefix = settings.directory + '/';
  const develop = [...develeggs.values()].map((p) => (p.startsWith(prefix) ? p.slice(prefix.length) : p));
  return { develop, develeggs, unpinned };
}
