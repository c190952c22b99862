// Entry point of bin/buildout: the single place that prints errors and sets
// the exit code. Commands are loaded lazily by program.ts.
import { formatUserError, isBuildoutError, ExitError } from '../errors.js';

export async function main(argv: string[]): Promise<number> {
  const debug = argv.some((a) => a === '-D' || a === '--debug' || /^-[a-zA-Z]*D[a-zA-Z]*$/.test(a));
  const wantsJson = argv.includes('--json');
  try {
    const { runProgram } = await import('./program.js');
    return await runProgram(argv);
  } catch (e) {
    if (e instanceof ExitError) {
      if (e.message) process.stderr.write(e.message + '\n');
      return e.exitCode;
    }
    if (isBuildoutError(e)) {
      if (wantsJson) {
        process.stdout.write(JSON.stringify({ error: { type: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}), ...(e.loc ? { file: e.loc.file, line: e.loc.line } : {}), ...(e.section ? { section: e.section } : {}), ...(e.option ? { option: e.option } : {}) } }) + '\n');
      }
      process.stderr.write(formatUserError(e) + '\n');
      if (debug && e.stack) process.stderr.write(e.stack + '\n');
      return 1;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    if (wantsJson) process.stdout.write(JSON.stringify({ error: { type: 'InternalError', message: err.message } }) + '\n');
    process.stderr.write(
      `An internal error occurred in buildout-ts: ${err.message}\n` +
        (err.stack ? err.stack + '\n' : '') +
        'This is a bug in buildout-ts, not in your configuration. Please report it with the command line and configuration that caused it.\n',
    );
    return 2;
  }
}
