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
 * A user-facing error with a stable code, e.g. `MissingSection`, `ParsingError`.
 * Codes follow zc.buildout's exception names where one exists.
 */
export class BuildoutError extends Error {
  override readonly name = 'BuildoutError';
  readonly code: string;
  readonly hint: string | undefined;
  readonly loc: Loc | undefined;
  readonly section: string | undefined;
  readonly option: string | undefined;
  readonly doing: string[];

  constructor(code: string, message: string, details: BuildoutErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.hint = details.hint;
    this.loc = details.loc;
    this.section = details.section;
    this.option = details.option;
    this.doing = details.doing ?? [];
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
