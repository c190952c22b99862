// .mr.developer.cfg's INI dialect against Python's configparser itself: what
// configparser writes we read, and what we write configparser reads back the same.
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { formatIni, parseIni, unquoteArg } from './ini.js';
import { pyRepr } from '../pyrepr.js';

function python(code: string, input: string): string {
  const r = spawnSync('python3', ['-c', code], { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout;
}

// configparser as mr.developer uses it: RawConfigParser with case-sensitive keys
const ROUNDTRIP = `
import configparser, io, json, sys
c = configparser.RawConfigParser()
c.optionxform = lambda s: s
c.read_string(sys.stdin.read())
out = io.StringIO()
c.write(out)
print(json.dumps({"sections": {s: dict(c.items(s)) for s in c.sections()}, "written": out.getvalue()}))
`;

describe('the INI dialect of .mr.developer.cfg', () => {
  it('writes what configparser writes, and reads what it reads', () => {
    const text = "[develop]\nMy.Package = auto\nother = true\n\n[buildout]\nargs = '/x/bin/buildout'\n\t'-c'\n\t'dev.cfg'\n\n[mr.developer]\nrewrites = \n\n";
    const zc = JSON.parse(python(ROUNDTRIP, text)) as { sections: Record<string, Record<string, string>>; written: string };
    const ours = parseIni(text);
    expect(Object.fromEntries([...ours].map(([s, o]) => [s, Object.fromEntries(o)]))).toEqual(zc.sections);
    expect(formatIni(ours)).toBe(zc.written);
    expect(formatIni(ours)).toBe(text);
  });

  it('continuation lines, comments and `:` as configparser reads them', () => {
    const text = '# comment\n[a]\nkey: value\nmulti = one\n   two\n\n   three\n; note\n[b]\nx=1\n';
    const zc = JSON.parse(python(ROUNDTRIP, text)) as { sections: Record<string, Record<string, string>> };
    expect(Object.fromEntries([...parseIni(text)].map(([s, o]) => [s, Object.fromEntries(o)]))).toEqual(zc.sections);
  });

  it("stores arguments as Python's repr and reads them back as mr.developer does", () => {
    const args = fc.sample(fc.string({ unit: fc.constantFrom('a', ' ', "'", '"', '-', '=', ':', '/', 'é', '\\', '\n') }), { numRuns: 200, seed: 42 });
    expect(args.map(pyRepr)).toEqual(JSON.parse(python('import json,sys; print(json.dumps([repr(a) for a in json.loads(sys.stdin.read())]))', JSON.stringify(args))));
    // mr.developer strips the quotes and unescapes the quote character only
    for (const a of args.filter((x) => !/[\\\n]/.test(x))) expect(unquoteArg(pyRepr(a))).toBe(a);
  });
});
