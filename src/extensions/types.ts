// The extension contract: zc.buildout's `extensions =` (spec §9.1). Extensions are loaded
// once the configuration is loaded and [buildout] materialised, before any part is; what
// they change in [buildout] or another section is seen by everything after them. A built-in
// extension (TypeScript, registry.ts) is a module whose default export is an Extension; any
// other name is a Python distribution whose `zc.buildout.extension` entry points run in our
// Python host (install only), as zc.buildout runs them.
import type { Logger } from '../log.js';

/** The command being run: extensions decide what to do for each (e.g. no checkout for annotate). */
export type ExtensionCommand = 'install' | 'annotate' | 'query' | 'check';

export interface ExtensionContext {
  /** the buildout directory (absolute) */
  directory: string;
  /**
   * Read access to the resolved configuration: `buildout.options` is [buildout],
   * `buildout.section(name)` any section (materialised, recipes' computed options included).
   */
  buildout: {
    readonly options: Readonly<Record<string, string>>;
    section(name: string): Readonly<Record<string, string>>;
    hasSection(name: string): boolean;
    sectionNames(): string[];
  };
  /**
   * Changes an option before the parts are materialised (e.g. appends to `[buildout]
   * develop`). The value is final: it is not substituted again.
   */
  setOption(section: string, option: string, value: string): void;
  /** `-o` / `offline = true` */
  offline: boolean;
  /** `newest` (false with `-N` or offline) */
  newest: boolean;
  /** `-v`/`-q`: 0 normal, > 0 more, < 0 less (zc.buildout's `verbosity` divided by 10) */
  verbosity: number;
  log: Logger;
  command: ExtensionCommand;
}

export interface Extension {
  /** the name users write in `extensions =`, e.g. `mr.developer` */
  name: string;
  /** When: after [buildout] is materialised, before any part. What it sets is seen by every part. */
  load(ctx: ExtensionContext): Promise<void>;
  /** When: at the end of a successful install (zc.buildout's `zc.buildout.unloadextension`). */
  unload?(ctx: ExtensionContext): Promise<void>;
  /** [buildout] options it reads (beyond zc.buildout's own): not "unused" while it is loaded. */
  buildoutOptions?: readonly string[];
}
