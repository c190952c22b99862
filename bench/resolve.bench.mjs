#!/usr/bin/env node
// Whole-process wall time of `bin/buildout annotate --json` on the Plone 6.1
// core-development config (node start-up included), and of the real zc.buildout
// resolving the same config on this machine when Debian's python3-zc.buildout is
// installed (bench/zc-buildout.py runs it), so the ratio comes from one run.
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

// CPU time (user+sys) of the child is less sensitive to a busy machine than wall time;
// /usr/bin/time reports it when present.
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

function once(args) {
  // args: ['-e', ''] (bare node), ['python', ...] (zc.buildout), or buildout-ts arguments
  const [file, argv] = args[0] === 'python' ? ['/usr/bin/python3', args.slice(1)] : [process.execPath, args[0] === '-e' ? args : [bin, ...args]];
  const t0 = process.hrtime.bigint();
  const env = { ...process.env, BUILDOUT_HOME: join(fixture, '.no-user-defaults') };
  const r = TIME
    ? spawnSync(TIME, ['-f', '__cpu %U %S', file, ...argv], { cwd: fixture, encoding: 'utf8', env })
    : spawnSync(file, argv, { cwd: fixture, encoding: 'utf8', env });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`buildout ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  const m = /__cpu ([\d.]+) ([\d.]+)/.exec(r.stderr ?? '');
  return { ms, cpu: m ? (Number(m[1]) + Number(m[2])) * 1000 : NaN };
}

function report(label, args) {
  once(args); // warm the disk cache and the Python facts cache
  const runs = Array.from({ length: N }, () => once(args));
  const wall = runs.map((r) => r.ms).sort((a, b) => a - b);
  const cpu = runs.map((r) => r.cpu).sort((a, b) => a - b);
  const median = wall[Math.floor(wall.length / 2)];
  const cpuMedian = cpu[Math.floor(cpu.length / 2)];
  console.log(
    `${label.padEnd(36)} wall median ${median.toFixed(1)} ms, min ${wall[0].toFixed(1)} ms; cpu median ${Number.isNaN(cpuMedian) ? '?' : cpuMedian.toFixed(0)} ms  (${N} runs)  800 ms / median = ${(ZC_BUILDOUT_MS / median).toFixed(1)}x`,
  );
  return median;
}

function hasZcBuildout() {
  return spawnSync('/usr/bin/python3', ['-c', 'import zc.buildout'], { encoding: 'utf8' }).status === 0;
}

console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (numbers are only meaningful on an idle machine)`);
report('node -e "" (Node start-up floor)', ['-e', '']);
report('buildout --version (CLI floor)', ['--version']);
const ours = report('annotate --json (plone-coredev-6.1)', ['annotate', '--json']);
report('query buildout:parts', ['query', 'buildout:parts']);

if (hasZcBuildout()) {
  const theirs = report('zc.buildout 2.13 (Debian) annotate', ['python', join(root, 'bench', 'zc-buildout.py'), '-U', 'annotate']);
  console.log(`ratio zc.buildout / buildout-ts annotate, same machine, same run: ${(theirs / ours).toFixed(1)}x`);
} else {
  console.log('zc.buildout not installed here (apt-get install python3-zc.buildout): no same-machine ratio');
}
