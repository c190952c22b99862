// A levelled logger. Levels follow Python logging numbers so that buildout's
// `-v`/`-q` (±10 to verbosity) and `log-level` map directly.

export const LEVELS = { DEBUG: 10, INFO: 20, WARNING: 30, ERROR: 40, CRITICAL: 50 } as const;

export interface Logger {
  level: number;
  debug(msg: string): void;
  info(msg: string): void;
  warn(msg: string): void;
  error(msg: string): void;
}

export interface LoggerOptions {
  level?: number;
  /** where lines go; defaults to stderr (stdout stays clean for --json and query) */
  write?: (line: string) => void;
}

export function createLogger(opts: LoggerOptions = {}): Logger {
  const write = opts.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const logger: Logger = {
    level: opts.level ?? LEVELS.INFO,
    debug: (m) => logger.level <= LEVELS.DEBUG && write(m),
    info: (m) => logger.level <= LEVELS.INFO && write(m),
    warn: (m) => logger.level <= LEVELS.WARNING && write(`Warning: ${m}`),
    error: (m) => logger.level <= LEVELS.ERROR && write(`Error: ${m}`),
  } as Logger;
  return logger;
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = createLogger({ level: 100, write: () => {} });

/** Debug output that costs nothing when BUILDOUT_TS_DEBUG does not name the namespace. */
export function createDebug(ns: string): ((msg: string) => void) | undefined {
  const spec = process.env.BUILDOUT_TS_DEBUG;
  if (!spec || !(spec === '*' || spec.split(',').includes(ns))) return undefined;
  return (msg) => process.stderr.write(`[${ns}] ${msg}\n`);
}
