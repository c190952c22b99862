#!/usr/bin/env node
// The whole workflow, buildout-ts (on Node 24, the no-op and one-option runs also on the
// machine's Node) side by side with the real zc.buildout from PyPI (bench/lib/zc-buildout.mjs,
// which gets its own recipes, plone.recipe.zope2instance and plone.recipe.zeoserver, as a
// user's buildout does), in one run, on the example Plone buildout: examples/bjoern.cfg
// (Plone 6.2, the local add-on examples/src/buildoutts.site as a develop egg,
// dataflake.wsgi.bjoern, ZEO; pins in examples/versions.cfg), both tools on the same files.
//
//   cold           empty caches, fresh buildout directory (network-bound: reported, no target)
//   warm           caches filled, fresh buildout directory          target: >= 10x zc.buildout
//   no-op          the same command again in that directory         target: < 100 ms (Node 24)
//   one option     instance:http-address changed (only [instance])  target: < 300 ms (Node 24)
//   fg             bin/instance fg until the first HTTP answer, vs Zope's own runwsgi on the
//                  same wsgi.ini (ZEO started)                      target: within 50 ms
// plus the peak RSS of our Node process and of each process tree (bench/lib/measure.mjs).
//
// Each tool has caches of its own, named in a default.cfg of its own (BUILDOUT_HOME):
// eggs-directory and download-cache, as a zc.buildout user has them in ~/.buildout, plus
// XDG_CACHE_HOME (pip's and uv's default caches) and BUILDOUT_TS_CACHE_DIR. Every run uses
// -N (no index look-up for newer releases) and free ports on 127.0.0.1 (zeo-address,
// http-address on the command line). zc.buildout also gets versions:setuptools=<its own>,
// because examples/versions.cfg pins a setuptools without pkg_resources, which it needs.
//
// Usage: node bench/workflow.bench.mjs [--skip-cold]
//   --skip-cold     keep the caches of an earlier run (no cold figures)
//   BENCH_TOOLS=ours  measure buildout-ts only (no ratios)
//   BENCH_WARM_RUNS (3), BENCH_FAST_RUNS (11 for us, 5 for zc.buildout), BENCH_FG_RUNS (5)
//   BENCH_EXTRA_ARGS='section:option=value …'  added to every buildout command of both tools
//   --report FILE   print the table of a JSON file written by an earlier run
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { node24Binary } from '../scripts/node24.mjs';
import { describeMachine, machine } from './lib/machine.mjs';
import { fmtMiB, fmtMs, measure, median } from './lib/measure.mjs';
import { ROOT, writeResults } from './lib/results.mjs';
import { freePort, startAndTime, stop, waitListening } from './lib/servers.mjs';
import { ensureZcBuildout } from './lib/zc-buildout.mjs';

const WORK = join(ROOT, '.bench-tmp', 'workflow');
const BIN = join(ROOT, 'bin', 'buildout');
const LOG = join(WORK, 'workflow.log');
const skipCold = process.argv.includes('--skip-cold');
const withZc = process.env.BENCH_TOOLS !== 'ours';
const WARM_RUNS = Number(process.env.BENCH_WARM_RUNS ?? 3);
const FAST_RUNS = Number(process.env.BENCH_FAST_RUNS ?? 11);
const ZC_FAST_RUNS = Math.min(FAST_RUNS, 5);
const FG_RUNS = Number(process.env.BENCH_FG_RUNS ?? 5);
const TARGETS = { warmRatio: 10, noopMs: 100, optionMs: 300, fgDeltaMs: 50 };
const EXTRA_ARGS = (process.env.BENCH_EXTRA_ARGS ?? '').split(/\s+/).filter(Boolean);

// --report FILE: print the table of an earlier run's JSON file again
const reportOf = process.argv.indexOf('--report');
if (reportOf > 0) {
  const saved = JSON.parse(readFileSync(process.argv[reportOf + 1], 'utf8'));
  report(saved.raw, saved.machine, saved.extraArgs ?? []);
  process.exit(0);
}

await (await import('../scripts/bundle-if-stale.mjs')).default();
mkdirSync(WORK, { recursive: true });
rmSync(LOG, { force: true });
const node24 = node24Binary();
const node24Version = spawnSync(node24, ['--version'], { encoding: 'utf8' }).stdout.trim();
const zc = withZc ? ensureZcBuildout(join(ROOT, '.bench-tmp', 'zc-buildout-venv')) : undefined;
const ports = { zeo: await freePort(), http: [await freePort(), await freePort(), await freePort()] };
const m = machine({ node: [process.version, node24Version], zcBuildout: zc?.versions.zcBuildout, setuptoolsForZc: zc?.versions.setuptools, python: zc?.versions.python });
console.log(`workflow on examples/bjoern.cfg (Plone 6.2, add-on, bjoern, ZEO); ${describeMachine(m)}; Node ${process.version} and ${node24Version}${zc ? `; zc.buildout ${zc.versions.zcBuildout} (setuptools ${zc.versions.setuptools}, Python ${zc.versions.python})` : ''}`);
console.log(`log of every command: ${LOG}`);

const tools = { ours: tool('ours'), ...(zc ? { zc: tool('zc') } : {}) };
const results = { cold: {}, warm: {}, noop: {}, option: {}, fg: {}, fgFailedStarts: {} };

// --- cold, then warm: a fresh buildout directory each time ---
for (const t of Object.values(tools)) {
  if (skipCold && existsSync(t.caches)) continue;
  rmSync(t.caches, { recursive: true, force: true });
  console.log(`cold: ${t.label} …`);
  results.cold[t.key] = [t.run(freshDir(t, 'cold'))];
  console.log(`  ${fmtMs(results.cold[t.key][0].ms)}`);
}
let dirs = {};
for (let i = 0; i < WARM_RUNS; i++) {
  for (const t of Object.values(tools)) {
    dirs[t.key] = freshDir(t, `warm-${i}`);
    (results.warm[t.key] ??= []).push(t.run(dirs[t.key]));
  }
}
console.log(`warm: ${Object.values(tools).map((t) => `${t.label} ${fmtMs(median(results.warm[t.key].map((r) => r.ms)))}`).join(', ')}`);

// --- no-op and one option changed, in the last warm directory ---
const variants = [...Object.values(tools).map((t) => ({ t, node: t.node })), { t: tools.ours, node: process.execPath, key: 'ours-node20' }];
// each option run moves [instance] of its directory to the other of two ports: always a change
const lastPort = {};
const otherPort = (key) => (lastPort[key] = lastPort[key] === ports.http[1] ? ports.http[2] : ports.http[1]);
for (const [scenario, httpPort] of [['noop', () => ports.http[0]], ['option', otherPort]]) {
  for (let i = 0; i < FAST_RUNS; i++) {
    for (const v of variants) {
      if (v.t.key === 'zc' && i >= ZC_FAST_RUNS) continue;
      (results[scenario][v.key ?? v.t.key] ??= []).push(v.t.run(dirs[v.t.key], httpPort(v.t.key), v.node));
    }
  }
  // back to the port of the warm build for the next scenario
  if (scenario === 'option') for (const t of Object.values(tools)) t.run(dirs[t.key]);
}
const optionOutput = spawnSync(node24, [BIN, ...tools.ours.args(otherPort('ours'))], { cwd: dirs.ours, env: tools.ours.env, encoding: 'utf8' });
tools.ours.run(dirs.ours);
console.log(`one option changed, what buildout-ts said:\n  ${(optionOutput.stdout + optionOutput.stderr).trim().split('\n').join('\n  ')}`);

// --- bin/instance fg vs runwsgi, ZEO running ---
for (const t of Object.values(tools)) {
  const dir = dirs[t.key];
  must(join(dir, 'bin', 'zeo'), ['start'], dir, t.env);
  await waitListening(ports.zeo);
  try {
    const wsgiIni = join(dir, 'parts', 'instance', 'etc', 'wsgi.ini');
    const starters = [[`${t.key}: bin/instance fg`, join(dir, 'bin', 'instance'), ['fg']]];
    if (t.key === 'ours') starters.push([`${t.key}: runwsgi`, join(dir, '.buildout', 'venv', 'bin', 'runwsgi'), [wsgiIni]]);
    for (const [key, file, args] of starters) await stop((await start(key, file, args, dir, t.env)).child, 5000); // first start: Zope sets up the database
    for (let i = 0; i < FG_RUNS; i++) {
      for (const [key, file, args] of starters) {
        const s = await start(key, file, args, dir, t.env);
        const stopped = await stop(s.child, 5000);
        (results.fg[key] ??= []).push({ ms: s.firstAnswerMs, treeRssKiB: s.rssKiB, stopMs: stopped.ms, killed: stopped.killed });
      }
    }
  } finally {
    spawnSync(join(dir, 'bin', 'zeo'), ['stop'], { cwd: dir, env: t.env, stdio: 'ignore', timeout: 30_000 });
  }
}

report(results, m, EXTRA_ARGS, true);

// ------------------------------------------------------------------------------------

function tool(key) {
  const caches = join(WORK, 'caches', key);
  const home = join(WORK, `home-${key}`);
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'default.cfg'), `[buildout]\neggs-directory = ${join(caches, 'eggs')}\ndownload-cache = ${join(caches, 'downloads')}\n`);
  const env = { ...process.env, BUILDOUT_HOME: home, XDG_CACHE_HOME: join(caches, 'xdg'), BUILDOUT_TS_CACHE_DIR: join(caches, 'buildout-ts') };
  // one assignment per option: of two, which one wins depends on their sort order
  const common = (http) => ['-N', '-c', 'bjoern.cfg', `zeo:zeo-address=127.0.0.1:${ports.zeo}`, `instance:http-address=127.0.0.1:${http}`, ...EXTRA_ARGS];
  const t =
    key === 'ours'
      ? { key, label: `buildout-ts (Node ${node24Version.slice(1)})`, node: node24, args: (http = ports.http[0]) => common(http) }
      : { key, label: `zc.buildout ${zc.versions.zcBuildout}`, args: (http = ports.http[0]) => [...common(http), `versions:setuptools=${zc.versions.setuptools}`] };
  return {
    ...t,
    caches,
    env,
    run(dir, http = ports.http[0], node = t.node) {
      return key === 'ours'
        ? measure(node, [BIN, ...t.args(http)], { cwd: dir, env, log: LOG, ourNode: true })
        : measure(zc.buildout, t.args(http), { cwd: dir, env, log: LOG });
    },
  };
}

/** A new buildout directory: a copy of examples/ (configs and the add-on) with templates/ beside it. */
function freshDir(t, name) {
  const root = join(WORK, 'runs', `${t.key}-${name}`);
  if (existsSync(root)) {
    // a server left running in an earlier, interrupted run would keep the ports
    for (const script of ['instance', 'zeo']) spawnSync(join(root, 'examples', 'bin', script), ['stop'], { stdio: 'ignore', timeout: 30_000 });
  }
  rmSync(root, { recursive: true, force: true });
  const skip = /\/examples\/(bin|parts|var|eggs|develop-eggs|\.buildout|\.installed\.cfg)$|__pycache__|\.egg-info$/;
  cpSync(join(ROOT, 'examples'), join(root, 'examples'), { recursive: true, filter: (src) => !skip.test(src) });
  cpSync(join(ROOT, 'templates'), join(root, 'templates'), { recursive: true });
  return join(root, 'examples');
}

// A ZEO client started right after another one was killed sometimes gives up waiting for
// the server ("timed out waiting for connection"): such a start is retried, and counted.
async function start(key, file, args, cwd, env) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startAndTime(file, args, { cwd, env, port: ports.http[0] });
    } catch (e) {
      (results.fgFailedStarts[key] ??= []).push(String(e.message).split('\n').filter(Boolean).at(-1));
      if (attempt === 3) throw e;
    }
  }
}

function must(file, args, cwd, env) {
  const r = spawnSync(file, args, { cwd, env, encoding: 'utf8', timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
}

function report(results, m, extraArgs, save = false) {
  const [node20Version, node24Version] = m.node;
  const med = (rs, f = 'ms') => median((rs ?? []).map((r) => r[f]).filter((x) => x !== undefined));
  const rows = [];
  const verdict = (ok) => (ok ? 'met' : 'NOT met');
  const build = (scenario, name, target) => {
    const ours = results[scenario].ours;
    const theirs = results[scenario].zc;
    const node20 = results[scenario]['ours-node20'];
    const ratio = med(theirs) / med(ours);
    rows.push({
      scenario: name,
      ours: med(ours),
      node20: med(node20),
      zc: med(theirs),
      cpu: `${fmtMs(med(ours, 'cpuMs'))} / ${fmtMs(med(theirs, 'cpuMs'))}`,
      ratio,
      oursRss: `${fmtMiB(med(ours, 'nodeRssKiB'))} / ${fmtMiB(med(ours, 'treeRssKiB'))}`,
      zcRss: fmtMiB(med(theirs, 'treeRssKiB')),
      target: target?.(med(ours), ratio) ?? '',
      runs: `${ours?.length ?? 0}/${theirs?.length ?? 0}`,
    });
  };
  build('cold', 'cold (empty caches)', () => 'network-bound, no target');
  build('warm', 'warm (fresh directory)', (_, r) => `>= ${TARGETS.warmRatio}x: ${verdict(r >= TARGETS.warmRatio)}`);
  build('noop', 'no-op re-run', (ms) => `< ${TARGETS.noopMs} ms: ${verdict(ms < TARGETS.noopMs)}`);
  build('option', 'http-address changed', (ms) => `< ${TARGETS.optionMs} ms: ${verdict(ms < TARGETS.optionMs)}`);
  const fg = med(results.fg['ours: bin/instance fg']);
  const runwsgi = med(results.fg['ours: runwsgi']);
  const zcFg = med(results.fg['zc: bin/instance fg']);
  rows.push({
    scenario: 'first HTTP answer: fg',
    ours: fg,
    zc: zcFg,
    ratio: zcFg / fg,
    oursRss: `${fmtMiB(med(results.fg['ours: bin/instance fg'], 'treeRssKiB'))} (server)`,
    zcRss: `${fmtMiB(med(results.fg['zc: bin/instance fg'], 'treeRssKiB'))} (server)`,
    target: `runwsgi ${fmtMs(runwsgi)}; fg ${fg >= runwsgi ? '+' : '-'}${Math.abs(fg - runwsgi).toFixed(0)} ms, within ${TARGETS.fgDeltaMs} ms: ${verdict(fg - runwsgi <= TARGETS.fgDeltaMs)}`,
    runs: `${results.fg['ours: bin/instance fg']?.length ?? 0}/${results.fg['zc: bin/instance fg']?.length ?? 0}`,
  });
  const header = ['scenario', `buildout-ts, Node ${node24Version.slice(1)}`, `Node ${node20Version.slice(1)}`, `zc.buildout ${m.zcBuildout ?? ''}`.trim(), 'ratio', 'CPU ours / zc.buildout', 'RSS ours (node / tree)', 'RSS zc.buildout', 'runs', 'target'];
  const cells = rows.map((r) => [r.scenario, fmtMs(r.ours), fmtMs(r.node20), fmtMs(r.zc), Number.isFinite(r.ratio) ? `${r.ratio.toFixed(1)}x` : 'n/a', r.cpu ?? '', r.oursRss, r.zcRss, r.runs, r.target]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (c) => `| ${c.map((x, i) => x.padEnd(widths[i])).join(' | ')} |`;
  console.log(`\nmedians (wall time); ratio = zc.buildout / buildout-ts on Node ${node24Version.slice(1)}; ${describeMachine(m)}${extraArgs.length ? `; both tools also got ${extraArgs.join(' ')}` : ''}`);
  console.log([line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n'));
  const stops = Object.entries(results.fg).map(([k, rs]) => `${k} ${fmtMs(med(rs, 'stopMs'))}${rs.some((r) => r.killed) ? ' (needed SIGKILL)' : ''}`);
  console.log(`SIGTERM to exit (median): ${stops.join(', ')}`);
  for (const [key, failures] of Object.entries(results.fgFailedStarts ?? {})) console.log(`${key}: ${failures.length} start(s) failed and were retried: ${[...new Set(failures)].join('; ')}`);
  if (!save) return;
  const file = writeResults('workflow', { bench: 'workflow', date: new Date().toISOString(), machine: m, extraArgs, ports, targets: TARGETS, table: rows, raw: results });
  console.log(`raw numbers: ${file}`);
}
