// Differential test: our configparser check accepts and rejects exactly what
// Python's configparser (strict, the recipe's sanity check) does, and reads
// the same sections, keys and values.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IniParseError, parseIniStrict } from './ini-check.js';

const PY = `
import configparser, json, sys
out = []
for text in json.load(sys.stdin):
    cp = configparser.ConfigParser(interpolation=None)
    try:
        cp.read_string(text)
        out.append({s: dict(cp._sections[s]) for s in cp.sections()})
    except configparser.Error:
        out.append(None)
print(json.dumps(out))
`;

const line = fc.oneof(
  fc.constantFrom('[a]', '[b]', '[DEFAULT]', '[server:main]', '', '  ', '# c', '; c', '  # c', 'x', '=v', '[a] tail'),
  fc.tuple(fc.constantFrom('', '  '), fc.constantFrom('k', 'K', 'key', 'k2', 'a b'), fc.constantFrom(' = ', '=', ': ', ' :'), fc.constantFrom('', 'v', 'v w', '%(x)s', 'a=b')).map(([i, k, d, v]) => i + k + d + v),
  fc.constantFrom('    cont', '\tcont'),
);
// half the documents start with a header, so that many are valid
const doc = fc.tuple(fc.constantFrom('', '[a]\n', '[server:main]\n'), fc.array(line, { maxLength: 8 })).map(([h, ls]) => h + ls.join('\n') + '\n');

function ours(text: string): Record<string, Record<string, string>> | null {
  try {
    const s = parseIniStrict(text);
    const out: Record<string, Record<string, string>> = {};
    for (const [name, opts] of s) if (name !== 'DEFAULT') out[name] = Object.fromEntries(opts);
    return out;
  } catch (e) {
    if (e instanceof IniParseError) return null;
    throw e;
  }
}

describe('ini check vs Python configparser', () => {
  it('agrees on generated documents', () => {
    const samples = fc.sample(doc, { numRuns: 1000, seed: 7 });
    const r = spawnSync('/usr/bin/python3', ['-c', PY], { input: JSON.stringify(samples), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const python = JSON.parse(r.stdout) as Array<Record<string, Record<string, string>> | null>;
    const disagreements = samples.map((text, i) => ({ text, ours: ours(text), python: python[i] })).filter((d) => JSON.stringify(d.ours === null ? null : sortKeys(d.ours)) !== JSON.stringify(d.python == null ? null : sortKeys(d.python)));
    expect(disagreements.slice(0, 3)).toEqual([]);
    // both verdicts are exercised, and multi-line values occur
    expect(python.filter((p) => p === null).length).toBeGreaterThan(40);
    expect(python.filter((p) => p !== null && Object.keys(p).length > 0).length).toBeGreaterThan(40);
    expect(python.some((p) => p && Object.values(p).some((sect) => Object.values(sect).some((v) => v.includes('\n'))))).toBe(true);
  });
});

function sortKeys(o: Record<string, Record<string, string>>) {
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Object.fromEntries(Object.entries(v).sort())]));
}
