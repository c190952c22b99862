#!/usr/bin/env node
// Resolve time: whole-process wall and CPU time of `buildout annotate --json` on the Plone
// 6.1 core-development configuration (../shared/perf-fixtures/plone-coredev-6.1, ~10 files,
// conditional sections, many `+=`), on the machine's Node and on Node 24, against the real
// zc.buildout from PyPI (bench/lib/zc-buildout.mjs) running `annotate` on the same files in
// the same run. zc.buildout gets `buildout:extensions=` so that it loads no extension
// (mr.developer, plone.versioncheck would be installed from the network first).
// Target: on Node 24, >= 15x faster than zc.buildout (median wall time).
// Usage: node bench/resolve.bench.mjs   (BENCH_RUNS=N, default 21)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { node24Binary } from '../scripts/node24.mjs';
import { describeMachine, machine } from './lib/machine.mjs';
import { fmtMs, measure, median } from './lib/measure.mjs';
import { ROOT, writeResults } from './lib/results.mjs';
import { ensureZcBuildout } from './lib/zc-buildout.mjs';

const N = Number(process.env.BENCH_RUNS ?? 21);
const TARGET = 15;
const fixture = join(ROOT, '..', 'shared', 'perf-fixtures', 'plone-coredev-6.1');
const WORK = join(ROOT, '.bench-tmp', 'resolve');
const BIN = join(ROOT, 'bin', 'buildout');
const log = join(WORK, 'resolve.log');

if (!existsSync(join(fixture, 'buildout.cfg'))) {
  console.log(`resolve.bench: ${fixture} not found; skipped`);
  process.exit(0);
}
await (await import('../scripts/bundle-if-stale.mjs')).default();

// a writable copy: zc.buildout creates eggs/ where it runs
mkdirSync(WORK, { recursive: true });
const dir = join(WORK, 'plone-coredev-6.1');
rmSync(dir, { recursive: true, force: true });
cpSync(fixture, dir, { recursive: true });
spawnSync('chmod', ['-R', 'u+w', dir]);
rmSync(log, { force: true });

const zc = ensureZcBuildout(join(ROOT, '.bench-tmp', 'zc-buildout-venv'));
const nodes = { [`Node ${process.versions.node}`]: process.execPath };
const node24 = node24Binary();
if (spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim() !== process.version) nodes[`Node ${spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1)}`] = node24;
const env = { ...process.env, BUILDOUT_HOME: join(WORK, 'no-user-defaults'), BUILDOUT_TS_CACHE_DIR: join(WORK, 'ts-cache') };

// The commands, measured in turns (one run of each per round) so that a busy moment
// hits all of them alike.
const commands = [];
for (const [label, node] of Object.entries(nodes)) {
  commands.push({ key: `${label}: node -e ""`, file: node, args: ['-e', ''], node: label });
  commands.push({ key: `${label}: buildout --version`, file: node, args: [BIN, '--version'], ourNode: true, node: label });
  commands.push({ key: `${label}: annotate --json`, file: node, args: [BIN, 'annotate', '--json'], ourNode: true, node: label, resolve: true });
}
commands.push({ key: `zc.buildout ${zc.versions.zcBuildout}: annotate`, file: zc.buildout, args: ['-U', 'buildout:extensions=', 'annotate'], zc: true });

for (const c of commands) measure(c.file, c.args, { cwd: dir, env, log, ourNode: c.ourNode }); // warm-up: disk cache, compile cache, .pyc
checkSameSections();
const runs = Object.fromEntries(commands.map((c) => [c.key, []]));
for (let i = 0; i < N; i++) for (const c of commands) runs[c.key].push(measure(c.file, c.args, { cwd: dir, env, log, ourNode: c.ourNode }));

const m = machine({ nodes: Object.keys(nodes), python: zc.versions.python, zcBuildout: zc.versions.zcBuildout, setuptools: zc.versions.setuptools });
const theirs = median(runs[commands.at(-1).key].map((r) => r.ms));
const theirCpu = median(runs[commands.at(-1).key].map((r) => r.cpuMs));
console.log(`resolve of plone-coredev-6.1, ${N} runs each, median (min); ${describeMachine(m)}`);
console.log(`${'command'.padEnd(44)} ${'wall'.padStart(8)} ${'min'.padStart(8)} ${'CPU'.padStart(8)} ${'RSS'.padStart(8)}  zc.buildout / this (wall, CPU)`);
const summary = {};
for (const c of commands) {
  const rs = runs[c.key];
  const wall = median(rs.map((r) => r.ms));
  const row = { wallMs: wall, minMs: Math.min(...rs.map((r) => r.ms)), cpuMs: median(rs.map((r) => r.cpuMs)), rssKiB: median(rs.map((r) => r.nodeRssKiB ?? r.treeRssKiB)) };
  summary[c.key] = { ...row, ratio: theirs / wall, cpuRatio: theirCpu / row.cpuMs };
  const verdict = c.resolve && c.node.startsWith('Node 24') ? `  target >= ${TARGET}x: ${theirs / wall >= TARGET ? 'met' : 'NOT met'}` : '';
  console.log(`${c.key.padEnd(44)} ${fmtMs(row.wallMs).padStart(8)} ${fmtMs(row.minMs).padStart(8)} ${fmtMs(row.cpuMs).padStart(8)} ${`${(row.rssKiB / 1024).toFixed(0)} MiB`.padStart(8)}  ${c.zc ? '' : `${(theirs / wall).toFixed(1)}x, ${(theirCpu / row.cpuMs).toFixed(1)}x`}${verdict}`);
}
const file = writeResults('resolve', { bench: 'resolve', date: new Date().toISOString(), machine: m, runs: N, summary, raw: runs });
console.log(`raw numbers: ${file}`);

// Both tools must have resolved the same configuration, or the ratio compares nothing.
function checkSameSections() {
  const ours = JSON.parse(spawnSync(process.execPath, [BIN, 'annotate', '--json'], { cwd: dir, env, encoding: 'utf8' }).stdout);
  const theirs = spawnSync(zc.buildout, ['-U', 'buildout:extensions=', 'annotate'], { cwd: dir, env, encoding: 'utf8' }).stdout;
  const theirSections = [...theirs.matchAll(/^\[([^\]]+)\]$/gm)].map((x) => x[1]).sort();
  const ourSections = Object.keys(ours.sections).sort();
  if (JSON.stringify(theirSections) !== JSON.stringify(ourSections)) {
    throw new Error(`zc.buildout and buildout-ts resolve different sections:\n ours:   ${ourSections.join(' ')}\n theirs: ${theirSections.join(' ')}`);
  }
  console.log(`both resolve the same ${ourSections.length} sections`);
}
