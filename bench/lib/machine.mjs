// What the figures were measured on, for the table and the JSON file.
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';

export function machine(extra = {}) {
  const nproc = spawnSync('nproc', [], { encoding: 'utf8' }).stdout?.trim();
  const lscpu = spawnSync('lscpu', [], { encoding: 'utf8' }).stdout ?? '';
  const model = /^Model name:\s*(.+)$/m.exec(lscpu)?.[1]?.trim() ?? cpus()[0]?.model ?? '?';
  return {
    nproc: Number(nproc) || availableParallelism(),
    cpu: model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    kernel: spawnSync('uname', ['-sr'], { encoding: 'utf8' }).stdout?.trim(),
    loadavg: loadavg().map((l) => Number(l.toFixed(2))),
    ...extra,
  };
}

export function describeMachine(m) {
  return `${m.nproc} CPUs (nproc), ${m.cpu}, ${m.memGiB} GiB, ${m.kernel}; load average ${m.loadavg.join(' ')}`;
}
