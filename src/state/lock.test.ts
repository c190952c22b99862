import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log.js';
import { acquireLock, lockFile, lockTimeoutMs } from './lock.js';

function capture() {
  const lines: string[] = [];
  return { lines, log: createLogger({ write: (l) => lines.push(l) }) };
}

function writeLock(dir: string, pid: number, host = hostname()) {
  mkdirSync(join(dir, '.buildout'), { recursive: true });
  writeFileSync(lockFile(dir), `${pid}\n${host}\n2026-01-01T00:00:00.000Z\n`);
}

// A pid that certainly belongs to no running process: a child that has exited.
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('acquireLock', () => {
  it('creates .buildout/lock with our pid and removes it on release', async () => {
    const dir = testdir();
    const { log } = capture();
    const lock = await acquireLock(dir, { timeoutMs: 0, log });
    expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
  });

  it('takes over a lock whose process is gone, with a warning', async () => {
    const dir = testdir();
    const pid = deadPid();
    writeLock(dir, pid);
    const { lines, log } = capture();
    const lock = await acquireLock(dir, { timeoutMs: 0, log });
    expect(lines).toEqual([`Warning: Removed a stale lock of process ${pid}, which is not running any more (${lockFile(dir)}).`]);
    expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
    lock.release();
  });

  it('waits for a live holder, says so, then fails naming its pid', async () => {
    const dir = testdir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    try {
      writeLock(dir, holder.pid!);
      const { lines, log } = capture();
      const t0 = Date.now();
      await expect(acquireLock(dir, { timeoutMs: 400, log, pollMs: 50 })).rejects.toThrowError(
        new RegExp(`Another buildout run \\(process ${holder.pid}\\) is working in `),
      );
      expect(Date.now() - t0).toBeGreaterThanOrEqual(380);
      expect(lines).toEqual([`Waiting for another buildout run (process ${holder.pid}) to finish in ${dir}...`]);
      expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(holder.pid));
    } finally {
      holder.kill('SIGKILL');
    }
  });

  it('gets the lock as soon as the holder releases it', async () => {
    const dir = testdir();
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)'], { stdio: 'ignore' });
    writeLock(dir, holder.pid!);
    setTimeout(() => holder.kill('SIGKILL'), 150);
    const { log } = capture();
    const lock = await acquireLock(dir, { timeoutMs: 10_000, log, pollMs: 25 });
    expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
    lock.release();
  });

  it('assumes a lock of another host is alive', async () => {
    const dir = testdir();
    writeLock(dir, deadPid(), 'some-other-host');
    await expect(acquireLock(dir, { timeoutMs: 0, log: capture().log })).rejects.toThrowError(/process \d+ on some-other-host/);
  });

  it('removes an empty lock file left by a crash between create and write', async () => {
    const dir = testdir();
    mkdirSync(join(dir, '.buildout'));
    writeFileSync(lockFile(dir), '');
    utimesSync(lockFile(dir), new Date(Date.now() - 60_000), new Date(Date.now() - 60_000));
    const { lines, log } = capture();
    const lock = await acquireLock(dir, { timeoutMs: 0, log });
    expect(lines[0]).toMatch(/Removed an unreadable lock file/);
    lock.release();
  });
});

describe('acquireLock errors', () => {
  it.skipIf(process.getuid?.() === 0)('a buildout directory that is not writable is a clear error', async () => {
    const dir = testdir();
    chmodSync(dir, 0o555);
    onTestFinished(() => chmodSync(dir, 0o755));
    await expect(acquireLock(dir, { timeoutMs: 0, log: capture().log })).rejects.toThrowError(`Cannot create the lock file ${lockFile(dir)}: the buildout directory is not writable`);
  });

  it('a .buildout that is a file is a clear error', async () => {
    const dir = testdir();
    writeFileSync(join(dir, '.buildout'), '');
    await expect(acquireLock(dir, { timeoutMs: 0, log: capture().log })).rejects.toThrowError(/^Cannot create the lock file .*\.buildout\/lock: /);
  });
});

describe('lockTimeoutMs', () => {
  it('reads BUILDOUT_TS_LOCK_TIMEOUT in seconds, default 120', () => {
    expect(lockTimeoutMs({})).toBe(120_000);
    expect(lockTimeoutMs({ BUILDOUT_TS_LOCK_TIMEOUT: '1.5' })).toBe(1500);
    expect(() => lockTimeoutMs({ BUILDOUT_TS_LOCK_TIMEOUT: 'soon' })).toThrowError(/must be a number of seconds, got "soon"/);
  });
});

// A temp directory removed when the test ends (test/helpers is outside the compiler's rootDir).
function testdir(files: Record<string, string> = {}): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-state-')));
  for (const [rel, content] of Object.entries(files)) writeFileSync(join(root, rel), content);
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
