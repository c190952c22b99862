import { describe, expect, it } from 'vitest';
import { createLogger, LEVELS } from '../log.js';
import { createProgress, formatSeconds } from './progress.js';

function capture(level: number = LEVELS.INFO) {
  const out: string[] = [];
  return { out, log: createLogger({ level, write: (l) => out.push(l + '\n') }) };
}

describe('progress', () => {
  it('without a terminal: one plain line per part; tasks only at debug level', () => {
    const { out, log } = capture();
    const p = createProgress(log, { tty: false });
    p.task('Installing a')();
    p.part('a', 'installed', 1.234, 'options changed: x');
    p.part('b', 'unchanged', 0);
    p.part('c', 'uninstalled', 12.34);
    expect(out.join('')).toBe('a: installed in 1.23s (options changed: x)\nb: unchanged\nc: uninstalled in 12.3s\n');
  });

  it('-q (WARNING) hides the part lines', () => {
    const { out, log } = capture(LEVELS.WARNING);
    createProgress(log, { tty: false }).part('a', 'installed', 1);
    expect(out).toEqual([]);
  });

  it('on a terminal: a spinner line that log lines clear and redraw, and that is cleared when the task ends', () => {
    const writes: string[] = [];
    const { log } = capture();
    const p = createProgress(log, { tty: true, write: (t) => writes.push(t) });
    const stop = p.task('Installing instance');
    expect(writes.at(-1)).toMatch(/^\r\x1b\[K. Installing instance 0\.\ds$/);
    p.log.info('instance: a message');
    expect(writes.slice(-3)).toEqual(['\r\x1b[K', 'instance: a message\n', expect.stringMatching(/^\r\x1b\[K. Installing instance/)]);
    stop();
    expect(writes.at(-1)).toBe('\r\x1b[K');
    p.part('instance', 'installed', 2);
    expect(writes.at(-1)).toBe('instance: installed in 2.00s\n');
    p.close();
  });

  it('formatSeconds', () => {
    expect([formatSeconds(0.004), formatSeconds(9.999), formatSeconds(61.26)]).toEqual(['0.00s', '10.00s', '61.3s']);
  });
});
