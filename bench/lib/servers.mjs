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
 * peak RSS (VmHWM) among the group's processes when the first answer came. onSpawn gets the
 * child at once (a caller that must stop it on Ctrl-C).
 */
export async function startAndTime(file, args, { cwd, env, port, timeoutMs = 120_000, onSpawn }) {
  const t0 = performance.now();
  const child = spawn(file, args, { cwd, env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
  onSpawn?.(child);
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

/** The pids of the live (not zombie) processes of process group `pgid`. */
export function groupPids(pgid) {
  const pids = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // fields 3 (state) and 5 (pgrp), after the parenthesised command name
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z') pids.push(Number(pid));
    } catch {
      // the process went away meanwhile
    }
  }
  return pids;
}

/**
 * Peak RSS (VmHWM) of a process group: the largest of one process and the sum over the
 * processes (a master and its worker each hold their own memory; the sum of peaks is an
 * upper bound of the tree's peak).
 * @returns {{maxKiB:number, sumKiB:number, processes:number}}
 */
export function groupRss(pgid) {
  const out = { maxKiB: 0, sumKiB: 0, processes: 0 };
  for (const pid of groupPids(pgid)) {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (!hwm) continue;
      out.maxKiB = Math.max(out.maxKiB, Number(hwm[1]));
      out.sumKiB += Number(hwm[1]);
      out.processes++;
    } catch {
      // the process went away meanwhile
    }
  }
  return out;
}

const groupPeakRss = (pgid) => groupRss(pgid).maxKiB;

/**
 * SIGTERM to the server process alone (what `bin/instance stop` or `kill PID` does; its
 * workers must be stopped by it), timed until its whole process group is gone; SIGKILL to
 * the group after graceMs. leftBehind: processes still there when the server itself had exited.
 * @returns {Promise<{ms:number, killed:boolean, leftBehind:number}>}
 */
export async function terminate(child, graceMs = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) {
    const leftBehind = groupPids(child.pid).length;
    signalGroup(child.pid, 'SIGKILL');
    return { ms: 0, killed: false, leftBehind };
  }
  const t0 = performance.now();
  const exited = new Promise((r) => child.on('exit', r));
  child.kill('SIGTERM');
  let killed = false;
  const t = setTimeout(() => {
    killed = true;
    signalGroup(child.pid, 'SIGKILL');
  }, graceMs);
  await exited;
  const leftBehind = groupPids(child.pid).length;
  while (groupPids(child.pid).length && performance.now() - t0 < graceMs) await sleep(5);
  const ms = performance.now() - t0;
  clearTimeout(t);
  if (groupPids(child.pid).length) killed = true;
  signalGroup(child.pid, 'SIGKILL');
  return { ms, killed, leftBehind };
}
