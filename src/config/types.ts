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
   * Called once for every section that has a `recipe`, right after it is
   * materialised (macros + substitution) and before anything else can see it.
   * Returns options the recipe computes (e.g. zope2instance's `location`); they
   * become visible to `${part:option}` references, as zc.buildout's recipe
   * constructors make them. `annotate` passes no hook (pure configuration).
   */
  onPartMaterialised?: (part: string, options: Readonly<Record<string, string>>) => Record<string, string> | void;
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
   * Materialises `buildout:parts` and every part in order and returns zc.buildout's
   * install list: sections with a recipe in order of first materialisation.
   */
  installList(): string[];
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
  /** Where an option was last set (file:line), to put into error messages. */
  locate(section: string, option?: string): Loc | undefined;
  /** Problems worth a warning found while resolving (e.g. a non-numeric socket-timeout). */
  readonly warnings?: readonly string[];
  /** Informational messages zc.buildout prints while loading (e.g. `optional-extends file not found: local.cfg`). */
  readonly notices?: readonly string[];
}
