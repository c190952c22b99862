// A copy of the built-in extension contract (src/extensions/types.ts, written in
// parallel by the extension mechanism's branch), so that this module compiles on
// its own. When that file has landed, replace this file's body with
// `export type { Extension, ExtensionContext } from '../types.js';`.
import type { Logger } from '../../log.js';

/** What a built-in extension sees: the buildout before its parts are materialised. */
export interface ExtensionContext {
  /** the buildout directory */
  directory: string;
  buildout: {
    /** the materialised [buildout] section */
    options: Readonly<Record<string, string>>;
    section(name: string): Readonly<Record<string, string>>;
    hasSection(name: string): boolean;
  };
  /** sets an option for everything that runs after the extension (zc.buildout's `buildout[section][option] = value`) */
  setOption(section: string, option: string, value: string): void;
  offline: boolean;
  newest: boolean;
  /** -v/-q: 0 normal, >0 more */
  verbosity: number;
  log: Logger;
  /** the buildout command being run (install, annotate, …) */
  command: string;
}

/** A built-in extension: `extensions = <name>` loads it before the parts are materialised. */
export interface Extension {
  name: string;
  /** zc.buildout's `zc.buildout.extension` entry point */
  load(ctx: ExtensionContext): Promise<void>;
  /** zc.buildout's `zc.buildout.unloadextension` entry point: after the run */
  unload?(ctx: ExtensionContext): Promise<void>;
}
