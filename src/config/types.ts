// The contract between the config engine (src/config) and its users
// (CLI commands, the install lifecycle, recipes). Input types stay apart from
// resolved types: raw sections with provenance go in, a Buildout comes out.
import type { BuildoutError, Loc } from '../errors.js';

export type Op = '=' | '+=' | '-=';

/** One command-line `section:option=value` (flags such as -N are turned into these). */
export interface Assignment {
  section: string;
  option: string;
  op: Op;
  value: string;
}

/** One step in the life of an option value, for `annotate`. */
export interface HistoryEntry {
  op: Op;
  /** the value written at this step (raw, unsubstituted) */
  value: string;
  /** absolute file, or DEFAULT_VALUE / COMPUTED_VALUE / COMMAND_LINE_VALUE */
  loc: Loc;
}

/** A raw (merged, unsubstituted) option with where it came from. */
export interface AnnotatedOption {
  value: string;
  history: HistoryEntry[];
}

export interface LoadOptions {
  /** process cwd: relative -c paths, optional-extends and command-line extends are relative to it */
  cwd: string;
  /** `-c FILE`; default `buildout.cfg` in cwd */
  configFile?: string;
  /** false with -U */
  userDefaults?: boolean;
  /** command-line assignments, flags already converted, not yet sorted */
  assignments?: Assignment[];
  /** environment (HOME, BUILDOUT_HOME); defaults to process.env */
  env?: Record<string, string | undefined>;
  /**
   * The recipe seam (see `PartInitializer`): what a part's recipe adds to its section when
   * the section is materialised. Without it (plain `annotate`, `query --raw`) parts keep
   * the options the configuration gives them.
   */
  recipes?: PartInitializer;
  /**
   * Called with the Buildout as soon as it exists (before any part is materialised), so
   * that the CLI can locate errors raised later that name only a section and an option.
   */
  onLoaded?: (buildout: Buildout) => void;
}

/** A loaded buildout configuration. Sections are materialised lazily, as zc.buildout does. */
export interface Buildout {
  /** absolute path of the main config file */
  readonly configFile: string;
  /** every config file that was read, in load order (for change detection) */
  readonly files: readonly string[];
  /** the materialised [buildout] section */
  readonly buildout: Readonly<Record<string, string>>;
  /** names of all sections after merging, in first-definition order */
  sectionNames(): string[];
  hasSection(name: string): boolean;
  /** Materialised options of a section (macros, then substitution). Memoised. Throws BuildoutError. */
  section(name: string): Readonly<Record<string, string>>;
  /**
   * zc.buildout's install list, computed from the configuration: a depth-first walk from
   * [buildout], then from each name of `buildout:parts`, over the sections each section
   * references (`${…}`, `<part-dependencies>`, what its recipe read), listing every section
   * with a recipe after the sections it depends on (zc.buildout's order of first
   * materialisation), each once. Independent of the order in which sections were read.
   */
  installList(): string[];
  /**
   * What a recipe (or an extension) reads of the buildout on behalf of `part`: reads are
   * recorded as dependencies of `part` for the install order.
   */
  reader(part: string): SectionReader;
  /**
   * Sets an option (an extension's change, or an option a recipe sets outside its own
   * section): the value is final (not substituted), seen by every later read.
   */
  setOption(section: string, option: string, value: string): void;
  /**
   * Adds a section (zc.buildout's `buildout[name] = {...}` from an extension or a recipe):
   * its values are substituted when it is materialised, as the configuration's are.
   */
  addSection(name: string, options: Readonly<Record<string, string>>): void;
  /**
   * Walks `buildout:parts` like installList, but collects every problem (missing
   * `parts`, a part without a section or a recipe, a part that fails to materialise)
   * instead of throwing the first. `parts` is the install list so far.
   */
  checkParts(): { parts: string[]; problems: BuildoutError[] };
  /**
   * [] when the section materialises; otherwise the error of every option that fails
   * (each evaluated on its own), not only the first. For `check`.
   */
  sectionProblems(name: string): BuildoutError[];
  /** Raw options with provenance, for `annotate` and for locating errors. */
  annotated(section: string): Readonly<Record<string, AnnotatedOption>> | undefined;
  /**
   * Options of `section` that a value materialised so far refers to (`${section:option}`):
   * zc.buildout counts an option read through a reference as used.
   */
  referencedOptions(section: string): ReadonlySet<string>;
  /** Sections that another section extends with `<=` (macro bases, often incomplete on purpose). */
  macroSources(): ReadonlySet<string>;
  /** Where an option was last set (file:line), to put into error messages. */
  locate(section: string, option?: string): Loc | undefined;
  /** Problems worth a warning found while resolving (e.g. a non-numeric socket-timeout). */
  readonly warnings?: readonly string[];
  /** Informational messages zc.buildout prints while loading (e.g. `optional-extends file not found: local.cfg`). */
  readonly notices?: readonly string[];
}

/** Read access to a buildout while it materialises (recipes' `BuildoutView`). */
export interface SectionReader {
  /**
   * The [buildout] section. While [buildout] itself is being materialised (a part referenced
   * from it is initialised), its options are computed on access, as zc.buildout's are.
   */
  readonly options: Readonly<Record<string, string>>;
  /** Materialised options of any section, computed options included (throws BuildoutError for a missing one). */
  section(name: string): Readonly<Record<string, string>>;
  hasSection(name: string): boolean;
  /** names of all sections, in first-definition order */
  sectionNames(): string[];
  /** an option set outside the recipe's own section (Buildout.setOption) */
  setOption(section: string, option: string, value: string): void;
  /** a section added by an extension or a recipe (Buildout.addSection) */
  addSection(name: string, options: Readonly<Record<string, string>>): void;
}

/**
 * The options a recipe sets on its section: a value adds or replaces an option, `null`
 * removes it (zc.buildout recipes may `options.pop(...)` in their constructor).
 */
export type InitializedOptions = Readonly<Record<string, string | null>>;

/**
 * The one seam between the configuration engine and recipes: zc.buildout constructs the
 * recipe of every section that has one while the section is materialised, and whatever the
 * constructor sets on its options is visible to every `${part:option}`. The engine calls
 * `initialize` at that moment (synchronously); a recipe whose constructor needs asynchronous
 * work (a module to import, a Python process) throws `PendingWork` and the materialisation is
 * retried once the work is done (`settle`).
 */
export interface PartInitializer {
  /**
   * Runs before any section is materialised, with every `recipe` value written in the
   * configuration (raw, without `${}`), so that recipe modules can be imported ahead.
   */
  prepare?(recipes: readonly string[], directory: string): Promise<void>;
  /**
   * Runs once for each section with a non-empty `recipe`, after its options are substituted
   * and its `<part-dependencies>` materialised, before any other section can read it.
   * Returns the options the recipe sets. `buildout` records what it reads as dependencies
   * of the part (install order).
   */
  initialize(part: string, options: Readonly<Record<string, string>>, buildout: SectionReader): InitializedOptions | undefined;
  /** A hint for a `${section:option}` that does not exist, when the recipe of `section` explains why. */
  missingHint?(section: string, option: string): string | undefined;
}
