// Runs the real built CLI (bin/buildout) as a child process.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BUILDOUT_BIN = join(PROJECT_ROOT, 'bin', 'buildout');

export interface CliResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], opts: { cwd: string; env?: Record<string, string | undefined>; input?: string; timeoutMs?: number }): CliResult {
  const r = spawnSync(process.execPath, [BUILDOUT_BIN, ...args], {
    cwd: opts.cwd,
    env: { ...process.env, BUILDOUT_HOME: join(opts.cwd, '.no-user-defaults'), ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: opts.timeoutMs ?? 300_000,
  });
  return { exitCode: r.status, stdout: r.stdout, stderr: r.stderr };
}
