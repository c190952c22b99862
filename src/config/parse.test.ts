import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { assembleFile, dedentValue, lexConfig, parseConfig } from './parse.js';
import { isBuildoutError } from '../errors.js';

/** Parses one unconditional file into {section: {key: value}}. */
function parse(text: string): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [name, sec] of assembleFile(lexConfig(text, '/x/buildout.cfg'), '/x/buildout.cfg', () => true)) {
    out[name] = Object.fromEntries([...sec.opts].map(([k, o]) => [k, o.value]));
  }
  return out;
}

function parseError(text: string) {
  try {
    parseConfig(text, '/x/b.cfg');
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('lexing one file (spec §1)', () => {
  it.each([
    ['plain option', '[s]\na = b\n', { s: { a: 'b' } }],
    ['value after the first =', '[s]\na = b = c\n', { s: { a: 'b = c' } }],
    ['no inline comments', '[s]\na = x # y\n', { s: { a: 'x # y' } }],
    ['column-0 comment inside a value is skipped', '[s]\na = 1\n# c\n  2\n; d\n  3\n', { s: { a: '1\n2\n3' } }],
    ['indented # text is part of the value', '[s]\na = 1\n  # two\n', { s: { a: '1\n# two' } }],
    ['indented option-looking line continues', '[s]\na = 1\n  b = 2\n', { s: { a: '1\nb = 2' } }],
    ['normal mode strips and drops blank lines', '[s]\na = 1\n\n    2   \n\n', { s: { a: '1\n2' } }],
    ['block mode dedents and keeps inner blank lines', '[s]\nx =\n    a\n      b\n\n    c\n\n\n', { s: { x: 'a\n  b\n\nc' } }],
    ['empty value stays empty', '[s]\nx =\n', { s: { x: '' } }],
    ['padded header is trimmed', '[  padded ]\na=1\n', { padded: { a: '1' } }],
    ['header comment', '[s] # comment\na=1\n[t] ; other\nb=2\n', { s: { a: '1' }, t: { b: '2' } }],
    ['x*= defines x*', '[s]\nx*= 1\n', { s: { 'x*': '1' } }],
    ['y!=2 defines y!', '[s]\ny!=2\n', { s: { 'y!': '2' } }],
    ['names with . - _ /', '[s]\na.b-c_d/e = 1\n', { s: { 'a.b-c_d/e': '1' } }],
    ['case-sensitive names', '[s]\nName = 1\nname = 2\n[S]\nNAME = 3\n', { s: { Name: '1', name: '2' }, S: { NAME: '3' } }],
    ['=> is <part-dependencies>', '[s]\n=> a b\n', { s: { '<part-dependencies>': 'a b' } }],
    ['macro option <', '[s]\n<= base\n', { s: { '<': 'base' } }],
    ['blank lines before the first header', '\n\n[s]\na=1\n', { s: { a: '1' } }],
    ['CRLF line ends', '[s]\r\na = 1\r\n  2\r\n', { s: { a: '1\n2' } }],
    ['repeated header reopens the section', '[s]\na=1\n[t]\nb=2\n[s]\na=3\nc=4\n', { s: { a: '3', c: '4' }, t: { b: '2' } }],
    ['+= keys keep their spelling', '[s]\nx += a\ny+= b\nz   -= c\n', { s: { 'x +': 'a', 'y+': 'b', 'z   -': 'c' } }],
    ['repeated x += appends a line', '[s]\nx += a\nx += b\n', { s: { 'x +': 'a\nb' } }],
    ['repeated block-mode x += continues the accumulated value', '[s]\nx +=\n  a\n[s]\nx +=\n  b\nx +=\n', { s: { 'x +': 'a\nb' } }],
    ['accumulated value not starting with whitespace is not dedented', '[s]\nx += a\nx +=\n  b\n', { s: { 'x +': 'a\n  b' } }],
    ['x = v drops pending single-space x +', '[s]\nx += a\nx = b\n', { s: { x: 'b' } }],
    ['x = v keeps unspaced x+', '[s]\nx+= a\nx = b\n', { s: { 'x+': 'a', x: 'b' } }],
  ])('%s', (_name, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });

  it.each([
    ['colon is not a separator', '[s]\na: b\n'],
    ['x *= 2', '[s]\nx *= 2\n'],
    ['${ in a name', '[s]\n${a} = 1\n'],
    ['indented line right after a header', '[s]\n  a = 1\n'],
  ])('parse error: %s', (_n, text) => {
    const e = parseError(text);
    expect(e.code).toBe('ParsingError');
    expect(e.message).toContain('File contains parsing errors: /x/b.cfg');
    expect(e.loc).toEqual({ file: '/x/b.cfg', line: 2 });
  });

  it('reports every bad line together', () => {
    const e = parseError('[s]\na: b\nok = 1\nc: d\n');
    expect(e.message).toBe("File contains parsing errors: /x/b.cfg\n\t[line  2]: 'a: b' in [s]\n\t[line  4]: 'c: d' in [s]");
  });

  it('names the section each bad line sits in', () => {
    const e = parseError('[s]\na: b\n[t]\nok = 1\n[u v]\n');
    expect(e.message).toBe("File contains parsing errors: /x/b.cfg\n\t[line  2]: 'a: b' in [s]\n\t[line  5]: '[u v]' in [t]");
    expect(e.section).toBe('s');
  });

  it('a non-blank line before the first header is MissingSectionHeaderError', () => {
    const e = parseError('a = 1\n[s]\n');
    expect(e.code).toBe('MissingSectionHeaderError');
    expect(e.message).toContain('line: 1');
    expect(e.loc?.line).toBe(1);
  });

  it('keeps condition expressions with \\x23 and \\x3b replaced', () => {
    const { blocks } = lexConfig('[a:sys.platform == "x\\x23y\\x3b"]\nk=1\n[b:]\n[c: python3 ]\n', 'f');
    expect(blocks.map((b) => [b.name, b.condition])).toEqual([
      ['a', 'sys.platform == "x#y;"'],
      ['b', undefined],
      ['c', ' python3 '],
    ]);
  });

  it('header expressions may contain brackets', () => {
    expect(lexConfig('[v:sys.version_info[0] >= 3] # c\n', 'f').blocks[0]!.condition).toBe('sys.version_info[0] >= 3');
  });

  it('false blocks are dropped with their options; true ones merge into the same section', () => {
    const secs = parseConfig('[s]\na=1\n[s:no]\na=2\nb=3\n[t:no]\nc=1\n[s:yes]\nd=4\n', 'f', (b) => b.condition === 'yes');
    expect([...secs.keys()]).toEqual(['s']);
    expect(Object.fromEntries([...secs.get('s')!.opts].map(([k, o]) => [k, o.value]))).toEqual({ a: '1', d: '4' });
  });

  it('an indented line right after a false header is dropped (zc.buildout continues the previous option)', () => {
    const text = '[s]\na = 1\n[t:cond]\n  stray\nb = 2\n';
    expect(Object.fromEntries([...parseConfig(text, 'f', () => false).get('s')!.opts].map(([k, o]) => [k, o.value]))).toEqual({ a: '1' });
    expect(() => parseConfig(text, 'f', () => true)).toThrow("[line  4]: '  stray'");
  });

  it('records file:line per option', () => {
    const secs = assembleFile(lexConfig('[s]\n\na = 1\n  2\nb = 3\n', '/f.cfg'), '/f.cfg', () => true);
    expect(secs.get('s')!.opts.get('a')!.loc).toEqual({ file: '/f.cfg', line: 3 });
    expect(secs.get('s')!.opts.get('b')!.loc).toEqual({ file: '/f.cfg', line: 5 });
    expect(secs.get('s')!.loc).toEqual({ file: '/f.cfg', line: 1 });
  });

  it('dedent follows textwrap.dedent', () => {
    expect(dedentValue('\n\t a\n\t b')).toBe('a\nb');
    expect(dedentValue('\n  a\n    \n  b  ')).toBe('a\n\nb');
    expect(dedentValue('\n   a\n  b')).toBe(' a\nb');
  });
});

describe('parser fuzzing', () => {
  it('never throws anything but a BuildoutError', () => {
    const pieces = fc.constantFrom('[', ']', '[s]', '[a:b]', '=', '+=', '-=', ' ', '\t', '\n', '\r\n', '#', ';', ':', '${a:b}', '$$', 'x', 'name', '=>', '<', '{', '}', '\\x23', 'é', '\u2028');
    fc.assert(
      fc.property(fc.array(fc.oneof(pieces, fc.string()), { maxLength: 40 }), (parts) => {
        const text = parts.join('');
        try {
          parseConfig(text, 'fuzz.cfg', (b) => b.name.length % 2 === 0);
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});
