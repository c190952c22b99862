#!/usr/bin/env node
// Where a buildout-ts run spends its time: runs bin/buildout under --cpu-prof a few times in
// the current directory and prints the functions with the most self time and the most
// inclusive time (ours: dist/bundle), averaged over the runs. Sampling at 50 µs roughly
// doubles the times; compare the shares, not the absolute figures.
// Usage: node bench/profile.mjs [--runs N] [--node24] [--top N] -- BUILDOUT-ARGS…
//   e.g. cd ../shared/perf-fixtures/plone-coredev-6.1 && node ../../../wt-x/bench/profile.mjs --node24 -- annotate --json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { node24Binary } from '../scripts/node24.mjs';
import { ROOT } from './lib/results.mjs';

const argv = process.argv.slice(2);
const sep = argv.indexOf('--');
const opts = sep < 0 ? argv : argv.slice(0, sep);
const args = sep < 0 ? [] : argv.slice(sep + 1);
const flag = (name, dflt) => {
  const i = opts.indexOf(name);
  return i < 0 ? dflt : Number(opts[i + 1]);
};
const runs = flag('--runs', 10);
const top = flag('--top', 25);
const node = opts.includes('--node24') ? node24Binary() : process.execPath;

const dir = mkdtempSync(join(tmpdir(), 'buildout-ts-prof-'));
try {
  for (let i = 0; i < runs; i++) {
    const r = spawnSync(node, ['--cpu-prof', '--cpu-prof-dir', dir, '--cpu-prof-interval', '50', join(ROOT, 'bin', 'buildout'), ...args], { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`buildout ${args.join(' ')} exited with ${r.status}:\n${r.stderr}`);
  }
  summarise(dir);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

function summarise(profileDir) {
  const self = new Map();
  const inclusive = new Map();
  const files = readdirSync(profileDir).filter((f) => f.endsWith('.cpuprofile'));
  let total = 0;
  for (const f of files) {
    const p = JSON.parse(readFileSync(join(profileDir, f), 'utf8'));
    const byId = new Map(p.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    const name = (n) => `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/^.*\/(dist\/bundle|node_modules)\//, '$1/') || '(native)'}:${n.callFrame.lineNumber + 1}`;
    for (let i = 0; i < p.samples.length; i++) {
      const d = p.timeDeltas[i] ?? 0;
      total += d;
      let id = p.samples[i];
      const leaf = byId.get(id);
      self.set(name(leaf), (self.get(name(leaf)) ?? 0) + d);
      const seen = new Set();
      while (id !== undefined) {
        const n = byId.get(id);
        if (n.callFrame.url.includes('dist/bundle')) {
          const k = name(n);
          if (!seen.has(k)) inclusive.set(k, (inclusive.get(k) ?? 0) + d);
          seen.add(k);
        }
        id = parent.get(id);
      }
    }
  }
  const ms = (us) => (us / files.length / 1000).toFixed(2).padStart(7);
  console.log(`${files.length} runs of ${node} bin/buildout ${args.join(' ')}: ${ms(total)} ms sampled per run`);
  console.log('\nself time (ms per run)');
  for (const [k, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)}  ${k}`);
  console.log('\ninclusive time of our functions (ms per run)');
  for (const [k, v] of [...inclusive].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${ms(v)}  ${k}`);
}
