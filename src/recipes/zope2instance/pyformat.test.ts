import { describe, expect, it } from 'vitest';
import { formatMapping, formatPositional, PyFormatError, pyRepr } from './pyformat.js';

describe('Python %-formatting', () => {
  it('substitutes %(name)s and turns %% into %', () => {
    expect(formatMapping('a = %(x)s\nformat = %%(asctime)s 100%%', { x: 'X' })).toBe('a = X\nformat = %(asctime)s 100%');
  });
  it('supports flags, width and precision for strings and repr', () => {
    expect(formatMapping('[%(x)-5s][%(x)5s][%(x).2s][%(x)r]', { x: "ab'c" })).toBe(`[ab'c ][ ab'c][ab]["ab'c"]`);
    expect(pyRepr('a\nb', false)).toBe("'a\\nb'");
  });
  it('formats numeric conversions of numeric strings, and refuses other strings', () => {
    expect(formatMapping('%(t)d %(t)05d %(t)x %(f).2f', { t: '42', f: '1.005' })).toBe('42 00042 2a 1.00');
    expect(() => formatMapping('%(t)d', { t: 'four' })).toThrow(/needs a number/);
  });
  it('reports unknown names with their line', () => {
    try {
      formatMapping('[a]\nb = %(nope)s\n', { x: '' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PyFormatError);
      expect(e).toMatchObject({ line: 2, key: 'nope' });
    }
  });
  it.each([
    ['100%', /incomplete format/],
    ['50% off', /format requires a mapping/],
    ['50%!', /unsupported format character '!'/],
    ['%s', /format requires a mapping/],
    ['%(x', /missing "\)"/],
  ])('rejects %j like Python does', (tpl, msg) => {
    expect(() => formatMapping(tpl, { x: '' })).toThrow(msg);
  });
  it('formats positionally for storage-wrapper', () => {
    expect(formatPositional('%%import x\n<x>\n%s\n</x>', ['S'])).toBe('%import x\n<x>\nS\n</x>');
    expect(() => formatPositional('<x/>', ['S'])).toThrow(/not all arguments converted/);
    expect(() => formatPositional('%s %s', ['S'])).toThrow(/not enough arguments/);
  });
});
