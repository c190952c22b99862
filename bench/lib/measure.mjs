// One timed run of a command for the benches: wall and CPU time and the peak RSS of the
// process tree (bench/lib/rusage.py, wait4), plus the peak RSS of our Node process alone
// when `ourNode` is set (bench/lib/node-rss.mjs). Output goes to a log file, not the screen.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
let realPython;

/** The interpreter behind `python3` (pyenv's shim is a shell script: ~30 ms per call). */
export function python3() {
  if (!realPython) {
    const r = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error('the benches need python3 on PATH');
    realPython = r.stdout.trim();
  }
  return realPython;
}

/**
 * @returns {{ms:number, cpuMs:number, treeRssKiB:number, nodeRssKiB?:number, exit:number}}
 */
export function measure(file, args, { cwd, env = process.env, log, ourNode = false, check = true }) {
  const out = join(tmpdir(), `bench-rusage-${process.pid}.json`);
  const rssFile = join(tmpdir(), `bench-node-rss-${process.pid}`);
  rmSync(rssFile, { force: true });
  const runEnv = ourNode
    ? { ...env, NODE_OPTIONS: `${env.NODE_OPTIONS ?? ''} --import=${join(here, 'node-rss.mjs')}`.trim(), BENCH_NODE_RSS_FILE: rssFile }
    : env;
  const fd = openSync(log, 'a');
  writeSync(fd, `\n$ cd ${cwd} && ${[file, ...args].join(' ')}\n`);
  const r = spawnSync(python3(), ['-S', '-E', join(here, 'rusage.py'), out, file, ...args], { cwd, env: runEnv, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  if (r.status !== 0) throw new Error(`rusage.py failed for ${file} ${args.join(' ')} (exit ${r.status}); see ${log}`);
  const result = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  if (ourNode) {
    try {
      result.nodeRssKiB = Number(readFileSync(rssFile, 'utf8'));
      rmSync(rssFile, { force: true });
    } catch {
      // the process did not reach its exit handler
    }
  }
  if (check && result.exit !== 0) throw new Error(`${file} ${args.join(' ')} exited with ${result.exit}; see ${log}`);
  return result;
}

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN;
};

/** 85 ms, 1.23 s, 7 min 3 s */
export function fmtMs(ms) {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 1000) return `${ms.toFixed(0)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export const fmtMiB = (kib) => (Number.isFinite(kib) ? `${(kib / 1024).toFixed(0)} MiB` : 'n/a');
