import { describe, expect, it } from 'vitest';
import { mergeConfig, removeLines, addLines, sortKeys } from './merge.js';
import { assembleFile, lexConfig } from './parse.js';
import type { RawConfig } from './model.js';

function cfg(text: string, file = '/f.cfg'): RawConfig {
  return assembleFile(lexConfig(text, file), file, () => true);
}
function values(c: RawConfig): Record<string, Record<string, string>> {
  return Object.fromEntries([...c].map(([n, s]) => [n, Object.fromEntries([...s.opts].map(([k, o]) => [k, o.value]))]));
}
function merged(...texts: string[]): Record<string, Record<string, string>> {
  const base: RawConfig = new Map();
  texts.forEach((t, i) => mergeConfig(base, cfg(t, `/f${i}.cfg`)));
  return values(base);
}

describe('merging (spec §4)', () => {
  it('plain = overrides', () => {
    expect(merged('[s]\na=1\nb=2\n', '[s]\na=3\n')).toEqual({ s: { a: '3', b: '2' } });
  });
  it('+= appends line-wise; on a missing option of an existing section it gives a leading newline', () => {
    expect(merged('[s]\na=1\n', '[s]\na += 2\nb += x\n')).toEqual({ s: { a: '1\n2', b: '\nx' } });
  });
  it('+= in a new section is the plain value; -= gives empty', () => {
    expect(merged('[s]\n', '[t]\na += 2\nb -= 3\n')).toEqual({ s: {}, t: { a: '2', b: '' } });
  });
  it('unspaced x+= in a new section defines x (zc.buildout would define the name minus a letter)', () => {
    expect(merged('[s]\n', '[t]\nitems+= a\nwide   += b\n')).toEqual({ s: {}, t: { items: 'a', wide: 'b' } });
  });
  it('x += with nothing appends an empty line', () => {
    expect(merged('[s]\na = base\n', '[s]\na +=\n')).toEqual({ s: { a: 'base\n' } });
  });
  it('-= removes exact lines only', () => {
    expect(merged('[s]\np = a b\nq =\n  a\n  b\n  c\n', '[s]\np -= a\nq -=\n  b\n  zz\n')).toEqual({ s: { p: 'a b', q: 'a\nc' } });
  });
  it('x = v plus unspaced x+= in one file gives v then the added line', () => {
    expect(merged('[s]\nx = old\n', '[s]\nx+= a\nx = b\n')).toEqual({ s: { x: 'b\na' } });
  });
  it('a macro user in a new section keeps its pending keys', () => {
    expect(merged('[s]\n', '[m]\n<= s\nx += 1\n')).toEqual({ s: {}, m: { '<': 's', 'x +': '1' } });
  });
  it('keeps history with every step', () => {
    const base: RawConfig = new Map();
    mergeConfig(base, cfg('[s]\na = 1\n', '/a.cfg'));
    mergeConfig(base, cfg('[s]\na += 2\n', '/b.cfg'));
    mergeConfig(base, cfg('[s]\na -= 1\n', '/c.cfg'));
    const o = base.get('s')!.opts.get('a')!;
    expect(o.value).toBe('2');
    expect(o.history.map((h) => [h.op, h.value, h.loc.file, h.loc.line])).toEqual([
      ['=', '1', '/a.cfg', 2],
      ['+=', '2', '/b.cfg', 2],
      ['-=', '1', '/c.cfg', 2],
    ]);
    expect(o.loc).toEqual({ file: '/c.cfg', line: 2 });
  });
  it('sorts keys as x < x + < x -', () => {
    expect(sortKeys(['x -', 'x +', 'x', 'a-', 'b'])).toEqual(['a-', 'b', 'x', 'x +', 'x -']);
  });
  it('line helpers', () => {
    expect(addLines('', 'alpha')).toBe('\nalpha');
    expect(removeLines('a\nb\na', 'a')).toBe('b');
  });
});
