import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatInstalled, parseInstalled, quoteValue, unquoteValue } from './installed-format.js';

describe('quoteValue (zc.buildout _save_option)', () => {
  it.each([
    ['plain', 'plain'],
    ['a b', 'a b'],
    [' lead', '%(__buildout_space__)slead'],
    ['trail ', 'trail%(__buildout_space__)s'],
    ['a\nb', 'a\n\tb'],
    ['a\n  b', 'a\n\t%(__buildout_space__)s%(__buildout_space__)sb'],
    ['\nfirst', '%(__buildout_space_n__)sfirst'],
    ['last\n', 'last%(__buildout_space_n__)s'],
    ['a\n\nb', 'a\n\t%(__buildout_space_n__)sb'],
    ['a \r\nb', 'a%(__buildout_space__)s%(__buildout_space_r__)s\n\tb'],
    ['\f\v', '%(__buildout_space_f__)s%(__buildout_space_v__)s'],
    // deliberate difference: zc.buildout leaves a lone \r, which breaks its own reader
    ['a\rb', 'a%(__buildout_space_r__)sb'],
    ['', ''],
  ])('%j -> %j', (value, quoted) => {
    expect(quoteValue(value)).toBe(quoted);
  });
});

describe('parseInstalled', () => {
  it('reads continuation lines, comments and merged repeated sections', () => {
    const text = '[buildout]\nparts = a\n# a comment\n\n[a]\nx = 1\n\t2\n; other comment\n\t3\nempty = \n\n[buildout]\nparts = a b\n';
    const s = parseInstalled(text, '/x/.installed.cfg');
    expect(Object.fromEntries(s)).toEqual({ buildout: { parts: 'a b' }, a: { x: '1\n2\n3', empty: '' } });
  });

  it('reads a block-mode value (nothing after =) with dedent', () => {
    const s = parseInstalled('[a]\nv =\n    one\n      two\n\n    three\n\n', 'f');
    expect(s.get('a')!.v).toBe('one\n  two\n\nthree');
  });

  it('accepts \\r\\n line ends', () => {
    expect(parseInstalled('[a]\r\nx = 1\r\n\t2\r\n', 'f').get('a')).toEqual({ x: '1\n2' });
  });

  it('reports every bad line with its number and a hint', () => {
    expect(() => parseInstalled('[buildout]\nparts = a\nnot an option\n[a]\n  \nx: y\n', '/d/.installed.cfg')).toThrowError(
      /File contains parsing errors: \/d\/\.installed\.cfg\n\t\[line 3\]: "not an option"\n\t\[line 6\]: "x: y"/,
    );
    try {
      parseInstalled('junk\n', '/d/.installed.cfg');
    } catch (e) {
      expect((e as { code: string; hint: string }).code).toBe('ParsingError');
      expect((e as { hint: string }).hint).toMatch(/remove it to reinstall/);
    }
  });
});

describe('round trip', () => {
  // Tabs and other Unicode blanks at line edges are lost by zc.buildout's format too (it does not quote them).
  const unit = fc.constantFrom('a', 'b', 'Z', '=', '#', '[', ']', '%', ':', '$', '{', ' ', '\n', '\r', '\f', '\v', 'é');
  const value = fc.string({ unit, maxLength: 30 });

  it('parse(format(x)) gives x back for any value', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.stringMatching(/^[a-z_][a-z0-9_.-]{0,8}$/), value), (options) => {
        const text = formatInstalled({ parts: 'p' }, [['p', options]]);
        expect(parseInstalled(text, 'f').get('p')).toEqual(options);
      }),
      { numRuns: 500 },
    );
  });

  it('unquote undoes quote', () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(unquoteValue(quoteValue(v).replaceAll('\n\t', '\n'))).toBe(v);
      }),
    );
  });

  it('writes sorted keys, [buildout] first, a blank line between sections', () => {
    const text = formatInstalled({ parts: 'b a', installed_develop_eggs: '' }, [
      ['b', { z: '1', recipe: 'r', __buildout_installed__: '' }],
      ['a', { x: 'y' }],
    ]);
    expect(text).toBe('[buildout]\ninstalled_develop_eggs = \nparts = b a\n\n[b]\n__buildout_installed__ = \nrecipe = r\nz = 1\n\n[a]\nx = y\n');
  });
});
