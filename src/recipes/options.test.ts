import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bool, int, lines, octalMode, parseOptions, words } from './options.js';

const schema = z.object({ flag: bool(false), on: bool(true), list: words(), rows: lines(), mode: octalMode(), n: int(8, { min: 1, max: 10 }) });

describe('buildout option helpers', () => {
  it('parse buildout-style strings', () => {
    expect(parseOptions(schema, 's', { flag: 'Yes', on: 'off', list: ' a  b\n c ', rows: ' x y \n\n z', mode: '0644', n: '3' })).toEqual({ flag: true, on: false, list: ['a', 'b', 'c'], rows: ['x y', 'z'], mode: 0o644, n: 3 });
    expect(parseOptions(schema, 's', {})).toEqual({ flag: false, on: true, list: [], rows: [], mode: undefined, n: 8 });
    for (const v of ['true', 'on', '1', 'TRUE']) expect(parseOptions(schema, 's', { flag: v }).flag).toBe(true);
    for (const v of ['false', 'no', '0', 'Off']) expect(parseOptions(schema, 's', { on: v }).on).toBe(false);
  });

  it('report every problem as [section] option: message', () => {
    expect(() => parseOptions(schema, 'part', { flag: 'maybe', mode: '8', n: '11' })).toThrow(
      ["Invalid options:", "  [part] flag: expected true or false (also yes/no, on/off, 1/0), got 'maybe'", "  [part] mode: expected an octal file mode such as 755 or 0644, got '8'", '  [part] n: expected an integer between 1 and 10, got 11'].join('\n'),
    );
    expect(() => parseOptions(schema, 'part', { n: 'x' })).toThrow("[part] n: expected an integer, got 'x'");
  });
});
