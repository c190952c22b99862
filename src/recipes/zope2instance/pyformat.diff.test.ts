// Differential test: `template % mapping` as Python computes it (string values;
// numeric conversions are left out: we accept numeric strings there on purpose).
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMapping } from './pyformat.js';

const VARS = { name: 'abc', q: "it's", u: 'ünï', e: '', n: '42' };
const piece = fc.constantFrom('text ', '\n', '%(name)s', '%(q)r', '%(u)a', '%(e)s', '%(n)s', '%%', '%(name)-6s|', '%(name)6s|', '%(name).2s', '%(q)10r', '%(missing)s', '%', '%(name)', '%(name)!', '%(na(m)e)s', '%(name)#s', '%(name)%', '%5%');
// Deliberately left out: a key-less `%s` with a mapping, which Python fills with the
// whole mapping's repr; we reject it as a template error instead.
const template = fc.array(piece, { maxLength: 6 }).map((p) => p.join(''));

const PY = `
import json, sys
vars = json.loads(sys.argv[1])
out = []
for t in json.load(sys.stdin):
    try:
        out.append(t % vars)
    except (KeyError, ValueError, TypeError):
        out.append(None)
print(json.dumps(out))
`;

describe('%-formatting vs Python', () => {
  it('produces the same text, or fails where Python fails', () => {
    const samples = fc.sample(template, { numRuns: 600, seed: 11 });
    const r = spawnSync('/usr/bin/python3', ['-c', PY, JSON.stringify(VARS)], { input: JSON.stringify(samples), encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const python = JSON.parse(r.stdout) as Array<string | null>;
    const ours = samples.map((t) => {
      try {
        return formatMapping(t, VARS);
      } catch {
        return null;
      }
    });
    const diff = samples.map((t, i) => ({ t, ours: ours[i], python: python[i] })).filter((d) => d.ours !== d.python);
    expect(diff.slice(0, 5)).toEqual([]);
    expect(python.filter((p) => p === null).length).toBeGreaterThan(50);
    expect(python.filter((p) => p !== null).length).toBeGreaterThan(50);
  });
});
