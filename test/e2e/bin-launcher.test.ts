// bin/buildout itself: what a checkout without `npm ci` says, and Node's compile cache
// (on where the running Node has it; the suite also runs on Node 24: npm run test:node24).
import module from 'node:module';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILDOUT_BIN, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';

const hasCompileCache = typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function';

describe('bin/buildout', () => {
  it('before `npm ci` (no dist/) says in one line what to run, exit 1, no stack trace', () => {
    const checkout = testdir();
    mkdirSync(join(checkout, 'bin'));
    copyFileSync(BUILDOUT_BIN, join(checkout, 'bin', 'buildout'));
    chmodSync(join(checkout, 'bin', 'buildout'), 0o755);
    const r = spawnSync(process.execPath, [join(checkout, 'bin', 'buildout'), '--version'], { cwd: checkout, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^buildout-ts is not built: run \`npm ci\` in ${checkout}/ first`));
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it.runIf(hasCompileCache)(`keeps V8's compiled code in <cache>/node-compile-cache (Node ${process.versions.node} has module.enableCompileCache)`, () => {
    const cache = testdir();
    const r = runCli(['--version'], { cwd: cache, env: { BUILDOUT_TS_CACHE_DIR: cache, NODE_COMPILE_CACHE: undefined, NODE_DISABLE_COMPILE_CACHE: undefined } });
    expect(r.exitCode).toBe(0);
    // Node adds a folder per version, architecture and uid, holding one entry per module
    const [tagged] = readdirSync(join(cache, 'node-compile-cache'));
    expect(tagged).toContain(process.versions.node);
    expect(readdirSync(join(cache, 'node-compile-cache', tagged!)).length).toBeGreaterThan(0);
  });

  it.runIf(!hasCompileCache)(`runs without a compile cache where Node ${process.versions.node} has none`, () => {
    const cache = testdir();
    const r = runCli(['--version'], { cwd: cache, env: { BUILDOUT_TS_CACHE_DIR: cache } });
    expect(r.exitCode).toBe(0);
    expect(existsSync(join(cache, 'node-compile-cache'))).toBe(false);
  });

  it('an unwritable cache folder costs nothing but speed: same output, nothing on stderr', () => {
    const dir = testdir({ 'a-file': '' });
    const r = runCli(['--version'], { cwd: dir, env: { BUILDOUT_TS_CACHE_DIR: join(dir, 'a-file', 'cache'), NODE_COMPILE_CACHE: undefined }, timeoutMs: 30_000 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^buildout-ts \d+\.\d+\.\d+/);
    expect(r.stderr).toBe('');
  });
});
