// Starting a server for the benches and timing its first HTTP answer on 127.0.0.1.
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { createConnection, createServer } from 'node:net';

export const freePort = () =>
  new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Any HTTP answer (whatever the status) counts. */
export const answers = (port, path = '/') =>
  new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false, timeout: 30_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });

export const listening = (port) =>
  new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port }, () => {
      c.destroy();
      resolve(true);
    });
    c.on('error', () => resolve(false));
  });

export async function waitListening(port, timeoutMs = 60_000) {
  const t0 = performance.now();
  while (!(await listening(port))) {
    if (performance.now() - t0 > timeoutMs) throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
    await sleep(20);
  }
}

/**
 * Starts `file args` in a process group of its own and waits for its first HTTP answer.
 * @returns {Promise<{child, firstAnswerMs:number, rssKiB:number}>} rssKiB: the largest
 * peak RSS (VmHWM) among the group's processes when the first answer came.
 */
export async function startAndTime(file, args, { cwd, env, port, timeoutMs = 120_000 }) {
  const t0 = performance.now();
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c) => (err = (err + c).slice(-4000)));
  let exited = false;
  child.on('exit', () => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${file} ${args.join(' ')} exited before answering:\n${err}`);
    if (await answers(port)) return { child, firstAnswerMs: performance.now() - t0, rssKiB: groupPeakRss(child.pid) };
    if (performance.now() - t0 > timeoutMs) {
      await stop(child);
      throw new Error(`no answer from ${file} on port ${port} after ${timeoutMs} ms:\n${err}`);
    }
    // a timer, not a busy loop: on 2 cores a spinning parent would slow the child it times
    await sleep(2);
  }
}

/** SIGTERM to the group; SIGKILL after graceMs. Returns how long the stop took and whether it needed SIGKILL. */
export async function stop(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return { ms: 0, killed: false };
  const t0 = performance.now();
  const done = new Promise((r) => child.on('exit', r));
  signalGroup(child.pid, 'SIGTERM');
  let killed = false;
  const t = setTimeout(() => {
    killed = true;
    signalGroup(child.pid, 'SIGKILL');
  }, graceMs);
  await done;
  clearTimeout(t);
  // what the group leader left behind (a forked worker) goes too
  signalGroup(child.pid, 'SIGKILL');
  return { ms: performance.now() - t0, killed };
}

function signalGroup(pgid, signal) {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

function groupPeakRss(pgid) {
  let peak = 0;
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // field 5 (pgrp), after the parenthesised command name
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== pgid) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]));
    } catch {
      // the process went away meanwhile
    }
  }
  return peak;
}
