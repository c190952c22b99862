#!/usr/bin/env node
// Whole-process wall time of `bin/buildout annotate --json` on the Plone 6.1
// core-development config (node start-up included). zc.buildout needs ~800 ms.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fixture = join(root, '..', 'shared', 'perf-fixtures', 'plone-coredev-6.1');
const bin = join(root, 'bin', 'buildout');
const N = Number(process.env.BENCH_RUNS ?? 15);
const ZC_BUILDOUT_MS = 800;

if (!existsSync(join(fixture, 'buildout.cfg'))) {
  console.log(`skipped: ${fixture} not found`);
  process.exit(0);
}

function once(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args[0] === '-e' ? args : [bin, ...args], { cwd: fixture, encoding: 'utf8', env: { ...process.env, BUILDOUT_HOME: join(fixture, '.no-user-defaults') } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`buildout ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return ms;
}

function report(label, args) {
  once(args); // warm the disk cache and the Python facts cache
  const times = Array.from({ length: N }, () => once(args)).sort((a, b) => a - b);
  const median = times[Math.floor(times.length / 2)];
  console.log(`${label.padEnd(34)} median ${median.toFixed(1)} ms  min ${times[0].toFixed(1)} ms  (${N} runs)  zc.buildout/ours = ${(ZC_BUILDOUT_MS / median).toFixed(1)}x`);
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (numbers are only meaningful on an idle machine)`);
report('node -e "" (Node start-up floor)', ['-e', '']);
report('buildout --version (CLI floor)', ['--version']);
report('annotate --json (plone-coredev-6.1)', ['annotate', '--json']);
report('query buildout:parts', ['query', 'buildout:parts']);
