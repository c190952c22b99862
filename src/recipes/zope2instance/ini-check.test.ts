import { describe, expect, it } from 'vitest';
import { IniParseError, parseIniStrict } from './ini-check.js';

const problems = (text: string) => {
  try {
    parseIniStrict(text);
    return [];
  } catch (e) {
    if (!(e instanceof IniParseError)) throw e;
    return e.problems;
  }
};

describe('configparser-compatible check', () => {
  it('reads sections, continuation lines, comments and empty lines inside values', () => {
    const s = parseIniStrict('# c\n[pipeline:main]\npipeline =\n    a\n\n    b\n; x\nKey: v\n\n[server:main]\nuse = egg:x#main\n');
    expect(s.get('pipeline:main')).toEqual(new Map([['pipeline', '\na\n\nb'], ['key', 'v']]));
    expect(s.get('server:main')?.get('use')).toBe('egg:x#main');
  });
  it('rejects duplicate sections and keys (case-insensitive keys), with lines', () => {
    expect(problems('[a]\nx = 1\n[a]\n')).toEqual([{ line: 3, message: 'section [a] already exists (duplicate section)' }]);
    expect(problems('[a]\nx = 1\nX = 2\n')).toEqual([{ line: 3, message: 'option "x" in section [a] already exists (duplicate key)' }]);
  });
  it('rejects text before the first section and lines without a delimiter', () => {
    expect(problems('x = 1\n[a]\n')[0]).toMatchObject({ line: 1, message: expect.stringContaining('before the first [section]') });
    expect(problems('[a]\njust words\n')[0]).toMatchObject({ line: 2, message: expect.stringContaining('not a "key = value" line') });
  });
  it('accepts a repeated [DEFAULT] like configparser', () => {
    expect(problems('[DEFAULT]\na = 1\n[DEFAULT]\nb = 2\n')).toEqual([]);
  });
});
