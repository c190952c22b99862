#!/usr/bin/env node
// The WSGI servers of bin/instance side by side on one real Zope site: a buildout made by our
// CLI (Zope from PyPI, pinned by examples/versions.cfg, every server's distribution in eggs,
// a FileStorage), in which only [instance]'s wsgi-ini-template changes from one server to the
// next (a command-line override), so the database, Zope and zope.conf stay the same and only
// [server:main] differs. Per server and round: `bin/instance fg` until the first answered
// request, a wrk warm-up, then wrk (requests/s, latency p50/p99), the peak RSS of the server's
// process tree, and SIGTERM to the server until its whole tree has exited. Rounds go through
// all servers in turn, so a busy moment of the (shared) machine hits them alike.
//
// Concurrency, comparable where the server allows: 4 threads in 1 process (waitress, cheroot,
// gunicorn with threads = 4, granian with 1 worker and 4 blocking threads), werkzeug a thread
// per connection (wrk opens 4), bjoern single-threaded. wrk: 1 thread, 4 connections.
//
// Usage: node bench/zope-servers.bench.mjs [--quick] [--plone] [--servers=a,b,...] [--report FILE]
//        npm run bench -- zope-servers [--quick] [--plone] [--servers=a,b,...]
//   --quick     2 rounds, wrk 1 s warm-up + 2 s (default: 5 rounds, 2 s + 5 s)
//   --plone     Plone (a site made once by examples/create-site.py), measured on /Plone
//               (default: plain Zope, measured on its root page /)
//   --servers   a subset, e.g. --servers=waitress,bjoern,granian
//   --report    print the table of a JSON file written by an earlier run
// Needs wrk; exits non-zero when a server does not start, does not answer, or answers wrongly.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { describeMachine, machine } from './lib/machine.mjs';
import { fmtMiB, fmtMs, measure, median } from './lib/measure.mjs';
import { ROOT, writeResults } from './lib/results.mjs';
import { freePort, groupRss, startAndTime, terminate } from './lib/servers.mjs';

// `--name value` or `--name=value` (the form bench/run.mjs passes on)
const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
};
const reportFile = arg('--report');
if (reportFile) {
  report(JSON.parse(readFileSync(reportFile, 'utf8')));
  process.exit(0);
}

const quick = process.argv.includes('--quick');
const plone = process.argv.includes('--plone');
const ROUNDS = quick ? 2 : 5;
const WARMUP_S = quick ? 1 : 2;
const WRK_S = quick ? 2 : 5;
const CONNECTIONS = 4;
const WORK = join(ROOT, '.bench-tmp', plone ? 'zope-servers-plone' : 'zope-servers');
const BIN = join(ROOT, 'bin', 'buildout');
const LOG = join(WORK, 'bench.log');
const URL_PATH = plone ? '/Plone' : '/';

// name → the template (templates/NAME.ini.in; waitress: the recipe's built-in wsgi.ini), the
// expected `use =` of [server:main], and the Server header it answers with (if it sends one)
const ALL_SERVERS = {
  waitress: { template: undefined, use: 'egg:buildout-ts-wsgi#main', header: /^waitress$/i, concurrency: '4 threads, 1 process (the built-in server: waitress, bound before Zope loads)' },
  bjoern: { template: 'bjoern', use: 'egg:dataflake.wsgi.bjoern#main', header: /^$/, concurrency: '1 thread, 1 process (bjoern is single-threaded)' },
  granian: { template: 'granian', use: 'egg:buildout-ts-wsgi#granian', header: /^granian$/i, concurrency: '1 worker process with 4 blocking threads (+ granian\'s master)' },
  cheroot: { template: 'cheroot', use: 'egg:dataflake.wsgi.cheroot#main', header: /^cheroot/i, concurrency: '4 threads (numthreads), 1 process' },
  werkzeug: { template: 'werkzeug', use: 'egg:dataflake.wsgi.werkzeug#main', header: /^werkzeug/i, concurrency: 'a thread per connection (threaded), 1 process' },
  gunicorn: { template: 'gunicorn', use: 'egg:gunicorn#main', header: /^gunicorn$/i, concurrency: '1 worker with 4 threads (gthread; + gunicorn\'s arbiter)' },
};
const names = arg('--servers')?.split(',') ?? Object.keys(ALL_SERVERS);
for (const n of names) if (!ALL_SERVERS[n]) throw new Error(`--servers: unknown server ${n} (known: ${Object.keys(ALL_SERVERS).join(', ')})`);
if (spawnSync('wrk', ['--version']).error) {
  console.error('zope-servers.bench: wrk is not installed (apt-get install wrk)');
  process.exit(1);
}

await (await import('../scripts/bundle-if-stale.mjs')).default();
mkdirSync(join(WORK, 'templates'), { recursive: true });
writeFileSync(LOG, '');
const port = await freePort();
const m = machine({ node: process.version });
console.log(`zope-servers: ${plone ? 'Plone 6.2 (site /Plone)' : 'plain Zope 6.2 (its root page /)'} on a FileStorage, GET ${URL_PATH}; ${names.join(', ')}; ${ROUNDS} rounds; wrk -t1 -c${CONNECTIONS} -d${WRK_S}s after ${WARMUP_S} s of warm-up; port ${port}`);
console.log(`${describeMachine(m)}; log: ${LOG}`);

// The site's buildout: one [instance], every server's distribution in eggs.
writeFileSync(
  join(WORK, 'buildout.cfg'),
  `# written by bench/zope-servers.bench.mjs\n[buildout]\nextends = ${join(ROOT, 'examples', 'versions.cfg')}\nparts = instance\n\n` +
    `[instance]\nrecipe = plone.recipe.zope2instance\nuser = admin:admin\neggs =\n    Zope\n${plone ? '    Plone\n' : ''}` +
    '    dataflake.wsgi.bjoern\n    dataflake.wsgi.cheroot\n    dataflake.wsgi.werkzeug\n    gunicorn\n    granian\n',
);
// The repository's templates, with the bench's port where a template names one (cheroot,
// werkzeug, gunicorn: host/port, no %(http_address)s) and gunicorn given 4 threads like the others.
for (const n of names) {
  const t = ALL_SERVERS[n].template;
  if (!t) continue;
  let text = readFileSync(join(ROOT, 'templates', `${t}.ini.in`), 'utf8').replace(/^port = 8080$/m, `port = ${port}`);
  if (n === 'gunicorn') text = text.replace(/^workers = 1$/m, 'workers = 1\nthreads = 4');
  writeFileSync(join(WORK, 'templates', `${t}.ini.in`), text);
}

const results = { machine: m, plone, urlPath: URL_PATH, rounds: ROUNDS, wrk: { threads: 1, connections: CONNECTIONS, seconds: WRK_S, warmupSeconds: WARMUP_S }, servers: {}, load: [] };
for (const n of names) results.servers[n] = { use: ALL_SERVERS[n].use, concurrency: ALL_SERVERS[n].concurrency, switch: [], runs: [] };

let running; // the server's process (the leader of its process group) while one runs
// Ctrl-C or a kill of the bench: the server runs in a process group of its own, end it too
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    try {
      if (running) process.kill(-running.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    process.exit(130);
  });
}
let failed = false;
try {
  // first build; the Plone site (once); one unmeasured start (Zope sets up the database)
  switchTo(names[0]);
  if (plone) makePloneSite();
  await serve(names[0], async () => {});
  results.versions = versions();
  console.log(`  ${Object.entries(results.versions).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const zopeConf = hash(join(WORK, 'parts', 'instance', 'etc', 'zope.conf'));
  const shared = sharedSections(names[0]);
  for (let round = 1; round <= ROUNDS; round++) {
    results.load.push(loadavg()[0]);
    for (const n of names) {
      results.servers[n].switch.push(switchTo(n));
      if (hash(join(WORK, 'parts', 'instance', 'etc', 'zope.conf')) !== zopeConf) throw new Error(`${n}: zope.conf differs from the first server's`);
      if (sharedSections(n) !== shared) throw new Error(`${n}: wsgi.ini differs outside [server:main] ([app:zope], [pipeline:main])`);
      const run = await serve(n, async (s) => {
        await wrk(WARMUP_S);
        const w = await wrk(WRK_S);
        if (!w.requests || w.non2xx) throw new Error(`${n}: wrk got ${w.requests} answers, ${w.non2xx} of them not 2xx/3xx:\n${w.raw}`);
        return { ...w, rss: groupRss(s.child.pid) };
      });
      results.servers[n].runs.push(run);
      console.log(`  round ${round} ${n.padEnd(8)} first answer ${fmtMs(run.firstAnswerMs)}, ${run.rps.toFixed(0)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, peak RSS ${fmtMiB(run.rss.sumKiB)}, SIGTERM→exit ${fmtMs(run.stop.ms)}${run.stop.killed ? ' (KILLED)' : ''}`);
    }
  }
  results.load.push(loadavg()[0]);
} catch (e) {
  failed = true;
  console.error(`\nzope-servers.bench FAILED: ${e.message}`);
} finally {
  if (running) await terminate(running, 5000);
}
if (failed) process.exit(1);
console.log(`raw numbers: ${writeResults(plone ? 'zope-servers-plone' : 'zope-servers', results)}`);
report(results);

// ------------------------------------------------------------------------------------

/** Only [instance] is redone: the template override on the command line. */
function switchTo(n) {
  const t = ALL_SERVERS[n].template;
  const args = ['-N', `instance:http-address=127.0.0.1:${port}`, ...(t ? [`instance:wsgi-ini-template=${join(WORK, 'templates', `${t}.ini.in`)}`] : [])];
  const r = measure(BIN, args, { cwd: WORK, log: LOG });
  const ini = readFileSync(join(WORK, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8');
  const use = /^\[server:main\][^[]*?^use = (\S+)/m.exec(ini)?.[1];
  if (use !== ALL_SERVERS[n].use) throw new Error(`${n}: wsgi.ini's [server:main] has use = ${use}, expected ${ALL_SERVERS[n].use}`);
  return { ms: r.ms, cpuMs: r.cpuMs };
}

/** Starts bin/instance fg, checks the first answer, runs `work`, stops it (SIGTERM, timed). */
async function serve(n, work) {
  const started = await startAndTime(join(WORK, 'bin', 'instance'), ['fg'], { cwd: WORK, port, timeoutMs: plone ? 180_000 : 60_000, onSpawn: (child) => (running = child) });
  let out;
  let stop;
  try {
    const first = await get(URL_PATH);
    if (first.status !== 200) throw new Error(`${n}: GET ${URL_PATH} answered ${first.status}`);
    if (!ALL_SERVERS[n].header.test(first.server)) throw new Error(`${n}: answered with Server: ${first.server || '(none)'}, not ${n}'s`);
    out = { firstAnswerMs: started.firstAnswerMs, server: first.server, bytes: first.bytes, ...(await work(started)) };
  } finally {
    // a server that must be killed is a finding (reported), not a failure of the bench
    stop = await terminate(started.child, 10_000);
    running = undefined;
  }
  return { ...out, stop };
}

function makePloneSite() {
  const r = measure(join(WORK, 'bin', 'instance'), ['run', join(ROOT, 'examples', 'create-site.py')], { cwd: WORK, log: LOG });
  console.log(`  Plone site: ${fmtMs(r.ms)} (bin/instance run examples/create-site.py)`);
}

function get(path) {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 30_000 }, (res) => {
      let bytes = 0;
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () => resolve({ status: res.statusCode, server: res.headers.server ?? '', bytes }));
    });
    req.on('error', reject);
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: no answer within 30 s`)));
    req.end();
  });
}

async function wrk(seconds) {
  const r = await spawnAsync('wrk', ['-t1', `-c${CONNECTIONS}`, `-d${seconds}s`, '--timeout', '10s', '--latency', `http://127.0.0.1:${port}${URL_PATH}`]);
  if (r.status !== 0) throw new Error(`wrk failed (${r.status}):\n${r.stdout}${r.stderr}`);
  const ms = (re) => {
    const x = re.exec(r.stdout);
    return x ? Number(x[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[x[2]] : NaN;
  };
  const socket = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(r.stdout);
  return {
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(r.stdout)?.[1] ?? NaN),
    requests: Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? 0),
    p50Ms: ms(/^\s+50%\s+([\d.]+)(us|ms|s|m)\s*$/m),
    p99Ms: ms(/^\s+99%\s+([\d.]+)(us|ms|s|m)\s*$/m),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(r.stdout)?.[1] ?? 0),
    socketErrors: socket ? socket.slice(1).reduce((a, b) => a + Number(b), 0) : 0,
    raw: r.stdout,
  };
}

// wrk runs while the server's stderr pipe must keep being drained: not spawnSync
function spawnAsync(file, args) {
  const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (c) => (stdout += c));
  child.stderr?.on('data', (c) => (stderr += c));
  const p = new Promise((resolve) => {
    child.on('error', (error) => resolve({ status: -1, stdout, stderr, error }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  return p;
}

/** The versions the environment has of Python, Zope and the servers. */
function versions() {
  const dists = ['Zope', ...(plone ? ['Plone'] : []), 'waitress', 'bjoern', 'granian', 'cheroot', 'Werkzeug', 'gunicorn'];
  const code = `import importlib.metadata as m, json, sys; print(json.dumps({"Python": "%d.%d.%d" % sys.version_info[:3], **{d: m.version(d) for d in sys.argv[1:]}}))`;
  const r = spawnSync(join(WORK, '.buildout', 'venv', 'bin', 'python'), ['-c', code, ...dists], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`reading the versions of ${dists.join(', ')} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

function hash(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/**
 * The wsgi.ini sections every server must share: the application and its pipeline (behind
 * werkzeug the recipe adds egg:Zope#content_length, without which POSTs hang: a cheap filter
 * that a werkzeug user always has, kept).
 */
function sharedSections(n) {
  const ini = readFileSync(join(WORK, 'parts', 'instance', 'etc', 'wsgi.ini'), 'utf8');
  const text = ['app:zope', 'pipeline:main'].map((s) => new RegExp(`^\\[${s}\\][^[]*`, 'm').exec(ini)?.[0]).join('');
  return n === 'werkzeug' ? text.replace(/^\s*egg:Zope#content_length\n/m, '') : text;
}

function report(res) {
  const f = (x, d = 0) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');
  const med = (runs, get) => median(runs.map(get).filter(Number.isFinite));
  const loads = res.load.filter(Number.isFinite);
  console.log(`\n${res.plone ? 'Plone 6.2, GET /Plone' : 'plain Zope 6.2, GET /'}, FileStorage, bin/instance fg; medians of ${res.rounds} rounds (one start per server and round); wrk -t${res.wrk.threads} -c${res.wrk.connections} -d${res.wrk.seconds}s after ${res.wrk.warmupSeconds} s of warm-up`);
  if (res.versions) console.log(Object.entries(res.versions).map(([k, v]) => `${k} ${v}`).join(', '));
  console.log(`${describeMachine(res.machine)}; 1-min load average during the run ${f(Math.min(...loads), 1)}–${f(Math.max(...loads), 1)}`);
  console.log('| server | concurrency | first answer | req/s | p50 ms | p99 ms | peak RSS (tree) | SIGTERM → exit | switch (bin/buildout) |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [n, s] of Object.entries(res.servers)) {
    const killed = s.runs.filter((r) => r.stop?.killed).length;
    const errors = s.runs.reduce((a, r) => a + (r.socketErrors ?? 0), 0);
    console.log(
      `| ${n} | ${s.concurrency.replace(/ \(.*\)$/, '')} | ${fmtMs(med(s.runs, (r) => r.firstAnswerMs))} | ${f(med(s.runs, (r) => r.rps))} | ${f(med(s.runs, (r) => r.p50Ms), 2)} | ${f(med(s.runs, (r) => r.p99Ms), 2)} | ${fmtMiB(med(s.runs, (r) => r.rss.sumKiB))}${s.runs[0]?.rss.processes > 1 ? ` (${s.runs[0].rss.processes} processes, largest ${fmtMiB(med(s.runs, (r) => r.rss.maxKiB))})` : ''} | ${fmtMs(med(s.runs, (r) => r.stop?.ms))}${killed ? ` (${killed}× killed)` : ''} | ${fmtMs(med(s.switch, (r) => r.ms))} |${errors ? ` ${errors} socket errors` : ''}`,
    );
  }
}
