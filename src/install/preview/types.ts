// What a built-in recipe would write, computed in memory: used by `buildout plan` (diffs
// of generated configuration files) and by install before a part's previous installation
// is set aside (a template that cannot be rendered stops the run while everything is in
// place). A previewer reads files (templates) but never writes or starts a process.
import type { BuildoutView } from '../../recipes/types.js';

export interface PreviewFile {
  /** absolute path */
  path: string;
  content: Buffer;
  /** file mode when the recipe sets one (e.g. 0o600 for inituser) */
  mode?: number;
  /** the recipe leaves an existing file alone (collective.recipe.template overwrite = false) */
  keepExisting?: boolean;
}

/** What the target environment is known to hold, without starting a process. */
export interface PreviewEnvironment {
  /** sys.platform of the environment's Python */
  platform: string;
  /** whether Products.CMFPlone is in the working set of these eggs */
  hasCMFPlone(eggs: readonly string[]): Promise<boolean>;
  /** whether the tempstorage distribution is installed (undefined: not known) */
  hasTempstorage(): Promise<boolean | undefined>;
}

export interface PreviewInput {
  part: string;
  /** the options after the recipe's schema */
  options: unknown;
  /** the substituted string options, computed ones included */
  raw: Readonly<Record<string, string>>;
  buildout: BuildoutView;
  env: PreviewEnvironment;
}

/** The generated files a recipe would write (scripts and data excluded: they depend on the environment). */
export type Previewer = (input: PreviewInput) => Promise<PreviewFile[]>;
