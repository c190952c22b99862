#!/usr/bin/env node
// Whole-process wall time of a no-op `bin/buildout` (every part unchanged), node
// start-up included. Target: median < 150 ms. Also asserts that a no-op run starts no
// process at all (no Python: the base interpreter is a logging shim, and every
// child_process call is traced) and imports no recipe module, zod, handlebars or execa.
// The buildout: 6 buildout-ts:mkdir parts and one part with a Python requirement
// (zc.recipe.egg when built in, else a user recipe asking for `waitress`, pinned, from
// PyPI through the shared download cache on the set-up run).
// Usage: node bench/noop.bench.mjs   (BENCH_RUNS=N, default 21)
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'buildout');
const WORK = join(ROOT, '.bench-tmp', 'noop');
const N = Number(process.env.BENCH_RUNS ?? 21);
const TARGET_MS = 150;
// the python3 on PATH, resolved (a pyenv shim would add a shell to every call)
const PY = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).stdout?.trim() ?? '';

if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
  console.log('noop.bench: run `npm run build` first');
  process.exit(1);
}

// --- set-up: a buildout whose Python is a shim that logs every call ---
rmSync(WORK, { recursive: true, force: true });
mkdirSync(join(WORK, 'recipes'), { recursive: true });
const calls = join(WORK, 'python-calls.log');
const shim = join(WORK, 'python3');
writeFileSync(shim, `#!/bin/sh\necho "$$ $*" >> '${calls}'\nexec ${PY} "$@"\n`);
chmodSync(shim, 0o755);

const withPython = PY !== '' && existsSync(PY);
const eggBuiltIn = existsSync(join(ROOT, 'dist', 'recipes', 'egg', 'scripts.js'));
writeFileSync(
  join(WORK, 'recipes', 'py.mjs'),
  `import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
export default {
  name: 'py',
  requirements: (ctx) => ctx.raw.eggs.split(/\\s+/).filter(Boolean),
  async install(ctx) {
    const env = await ctx.python();
    const f = join(ctx.buildout.options['bin-directory'], ctx.part);
    writeFileSync(f, '#!/bin/sh\\nexec ' + env.python + ' "$@"\\n', { mode: 0o755 });
    return [f];
  },
};
`,
);
const mkdirParts = ['data', 'logs', 'blobs', 'cache', 'backups', 'tmp'];
const pyPart = withPython ? ['', '[py]', `recipe = ${eggBuiltIn ? 'zc.recipe.egg' : './recipes/py.mjs'}`, 'eggs = waitress', ''] : [];
writeFileSync(
  join(WORK, 'buildout.cfg'),
  [
    '[buildout]',
    `executable = ${shim}`,
    `parts = ${mkdirParts.join(' ')}${withPython ? ' py' : ''}`,
    ...mkdirParts.flatMap((p) => ['', `[${p}]`, 'recipe = buildout-ts:mkdir', `paths = var/${p} \${buildout:parts-directory}/${p}`]),
    ...pyPart,
    ...(withPython ? ['', '[versions]', 'waitress = 3.0.2'] : []),
  ].join('\n'),
);

const env = { ...process.env, BUILDOUT_HOME: join(WORK, '.no-user-defaults'), CI: '1' };
function run(args, extraEnv = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: WORK, encoding: 'utf8', env: { ...env, ...extraEnv } });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { ms, stderr: r.stderr };
}

const first = run([BIN]);
console.log(`set-up: first install ${(first.ms / 1000).toFixed(1)} s (${mkdirParts.length} mkdir parts${withPython ? `, 1 Python part via ${eggBuiltIn ? 'zc.recipe.egg' : 'a user recipe'}` : ''})`);
const second = run([BIN]); // warms the disk cache; must already be a no-op
const unchanged = second.stderr.trim().split('\n');
if (!unchanged.every((l) => / unchanged$/.test(l))) throw new Error(`second run is not a no-op:\n${second.stderr}`);

// --- assertions on one traced no-op run ---
rmSync(calls, { force: true });
const trace = join(WORK, 'trace.txt');
run([BIN], { NODE_OPTIONS: `--import=${join(ROOT, 'test', 'fixtures', 'install', 'trace-imports.mjs')}`, TRACE_FILE: trace });
const traced = readFileSync(trace, 'utf8').split('\n').filter(Boolean);
const spawned = traced.filter((l) => l.startsWith('spawn:'));
const heavy = traced.filter((l) => /node_modules\/(zod|handlebars|execa)\/|\/recipes\/[^/]+\/(index|scripts|eggs)\.js$|\/install\/execute\.js$/.test(l));
const pythonCalls = existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n').filter(Boolean) : [];
let failed = false;
function check(ok, what) {
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failed = true;
}
check(traced.length > 0, `trace recorded ${traced.length} imports`);
check(spawned.length === 0, `no child process started by a no-op run${spawned.length ? `: ${spawned.join(', ')}` : ''}`);
check(pythonCalls.length === 0, `no Python started (shim calls: ${pythonCalls.length})`);
check(heavy.length === 0, `no recipe module, zod, handlebars or execa imported${heavy.length ? `: ${heavy.join(', ')}` : ''}`);

// --- timing ---
function median(args) {
  const times = Array.from({ length: N }, () => run(args).ms).sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0] };
}
console.log(`load average ${loadavg().map((l) => l.toFixed(2)).join(' ')} (numbers are only meaningful on an idle machine)`);
const floor = median(['-e', '']);
const cli = median([BIN, '--version']);
const noop = median([BIN]);
console.log(`node -e "" (start-up floor)     median ${floor.median.toFixed(1)} ms  min ${floor.min.toFixed(1)} ms  (${N} runs)`);
console.log(`buildout --version (CLI floor)  median ${cli.median.toFixed(1)} ms  min ${cli.min.toFixed(1)} ms  (${N} runs)`);
console.log(`no-op install (${mkdirParts.length + (withPython ? 1 : 0)} parts)          median ${noop.median.toFixed(1)} ms  min ${noop.min.toFixed(1)} ms  (${N} runs)  target < ${TARGET_MS} ms: ${noop.median < TARGET_MS ? 'met' : 'NOT met'}; ours minus floor ${(noop.median - floor.median).toFixed(1)} ms`);
process.exitCode = failed ? 1 : 0;
