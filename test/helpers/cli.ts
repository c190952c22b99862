// Runs the real built CLI (bin/buildout) as a child process.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { packageRoot } from '../../src/package-root.js';

// found by walking up, so that a copy compiled elsewhere (bench/servers.bench.mjs) finds it too
export const PROJECT_ROOT = packageRoot();
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

/** runCli without blocking the event loop: for tests whose own servers (HTTP on 127.0.0.1) must answer the CLI. */
export function runCliAsync(args: string[], cwd: string, env: Record<string, string | undefined> = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BUILDOUT_BIN, ...args], { cwd, env: { ...process.env, BUILDOUT_HOME: join(cwd, '.no-user-defaults'), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ exitCode: code, stdout, stderr }));
  });
}
