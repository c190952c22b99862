// The error kinds of the tool, printed in one place (src/cli/main.ts). A BuildoutError
// is a user mistake, shown without a stack trace; anything else is a bug in buildout-ts.

/** Where a value or a problem comes from. `file` is an absolute path, or a pseudo-source. */
export interface Loc {
  file: string;
  line?: number;
}

/** Pseudo-sources used by zc.buildout's annotate output. */
export const DEFAULT_VALUE = 'DEFAULT_VALUE';
export const COMPUTED_VALUE = 'COMPUTED_VALUE';
export const COMMAND_LINE_VALUE = 'COMMAND_LINE_VALUE';

export interface BuildoutErrorDetails {
  /** one-line advice, printed after the message */
  hint?: string;
  loc?: Loc;
  section?: string;
  option?: string;
  /** what the tool was doing, outermost first (zc.buildout's `While:` trail) */
  doing?: string[];
  cause?: unknown;
}

/**
 * Every error code, with what it stands for: one table, so that a code is a
 * checked name (`ErrorCode`) rather than a free string. Names follow zc.buildout's
 * exception names where one exists. `--json` output prints the code as `type`.
 */
export const ERROR_CODES = {
  // configuration files and their syntax
  ParsingError: 'a line of a configuration file is neither header, option, continuation nor comment',
  MissingSectionHeaderError: 'an option before the first section header',
  FileNotFound: 'a configuration file (or a file it extends) cannot be read',
  DownloadError: 'a URL in extends could not be downloaded (DNS, HTTP status, timeout, offline)',
  RecursiveInclude: 'a file extends itself, directly or not',
  ConditionError: 'the expression of a [section:condition] header cannot be evaluated',
  // resolving sections and options
  MissingSection: 'a referenced section (or a part) is not defined',
  MissingOption: 'a referenced or required option is not set',
  CircularReference: 'options refer to each other in a cycle',
  InvalidOption: 'an option has a value its section or recipe cannot use',
  UnusedOption: 'an option no recipe reads (a warning of `check`; often a typo)',
  UserError: 'any other mistake in the configuration (zc.buildout\'s UserError)',
  // the command line and the environment
  UsageError: 'a bad command line',
  UnsupportedCommand: 'a zc.buildout command buildout-ts deliberately does not implement',
  InvalidEnvironment: 'an environment variable has an unusable value',
  // recipes
  UnknownRecipe: 'no built-in recipe and no module of that name',
  RecipeLoadError: 'a recipe module could not be loaded',
  RecipeError: 'a recipe failed while installing, updating or uninstalling',
  TemplateError: 'a template (input file, wsgi-ini-template, ...) is missing or cannot be rendered',
  MissingFile: 'a file a part needs does not exist',
  CheckoutError: "a source of mr.developer could not be checked out, updated or inspected (the VCS failed, a dirty working copy)",
  CommandFailed: 'a command a part runs exited non-zero',
  // the Python environment
  PythonNotFound: 'the configured Python cannot be found or run',
  PythonFactsError: 'the configured Python did not describe itself',
  ExecutableNotFound: 'a program (pip, a script) cannot be found',
  VenvError: 'the virtual environment could not be created',
  InstallError: 'installing distributions failed',
  NetworkError: 'the package index could not be reached (DNS, refused, timeout, proxy)',
  InvalidRequirement: 'a requirement (egg) specification is malformed',
  DistributionNotFound: 'no distribution matches a requirement',
  MissingDistribution: 'a distribution a part needs is not installed',
  VersionConflict: 'requirements and pins contradict each other',
  PickedVersion: 'a version was picked while allow-picked-versions = false',
  DevelopError: 'a develop egg could not be installed',
  BuildError: 'a distribution could not be built',
  MetadataError: 'installed distribution metadata cannot be read',
  HashMismatch: 'a downloaded file matches none of the hashes the lock file records',
  // lock files (buildout lock, --frozen)
  LockFileError: 'the lock file is missing or cannot be read',
  LockMismatch: 'the configuration asks for something the lock file does not have',
  // state and files
  Locked: 'another buildout run works in the same directory',
  LockFailed: 'the lock file cannot be created (read-only directory, permissions)',
  WriteFailed: 'a file could not be written (disk full, permissions)',
  FileExists: 'a file the command would write exists already (init without --force)',
} as const satisfies Record<string, string>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * A user-facing error with a stable code from ERROR_CODES, e.g. `MissingSection`.
 */
export class BuildoutError extends Error {
  override readonly name = 'BuildoutError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  /** set at most once: at construction or by placeAt */
  loc: Loc | undefined;
  readonly section: string | undefined;
  readonly option: string | undefined;
  readonly doing: string[];

  constructor(code: ErrorCode, message: string, details: BuildoutErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.hint = details.hint;
    this.loc = details.loc;
    this.section = details.section;
    this.option = details.option;
    this.doing = details.doing ?? [];
  }

  /** Gives the error a location when it has none yet (e.g. from the section and option it names). */
  placeAt(loc: Loc | undefined): this {
    this.loc ??= loc;
    return this;
  }

  /** Returns the same error with one more `While:` entry (innermost last). */
  while(what: string): this {
    this.doing.unshift(what);
    return this;
  }
}

/** A deliberate exit with a code and an optional message (no stack trace). */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly exitCode: number, message = '') {
    super(message);
  }
}

export function isBuildoutError(e: unknown): e is BuildoutError {
  return e instanceof Error && (e as { name?: string }).name === 'BuildoutError';
}

/** `file:line` for messages; just the file when the line is unknown. */
export function formatLoc(loc: Loc | undefined): string {
  if (!loc) return '';
  return loc.line === undefined ? loc.file : `${loc.file}:${loc.line}`;
}

/** The text a user sees for an error (no stack trace). */
export function formatUserError(e: BuildoutError): string {
  const lines: string[] = [];
  const where = formatLoc(e.loc);
  const what = [e.section && `[${e.section}]`, e.option].filter(Boolean).join(' ');
  let head = `Error: ${e.message}`;
  if (where || what) head += `\n  at ${[where, what].filter(Boolean).join(' ')}`;
  lines.push(head);
  if (e.hint) lines.push(`Hint: ${e.hint}`);
  if (e.doing.length) lines.push('While:', ...e.doing.map((d) => `  ${d}`));
  return lines.join('\n');
}
