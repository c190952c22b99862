import { describe, expect, it } from 'vitest';
import { run } from '../../process/run.js';
import { compareVersions, parseSpecifier, parseVersion, specifierContains, type SpecOp } from './pep440.js';

const VERSIONS = [
  '1.0.dev1', '1.0a1', '1.0a1.post1', '1.0a2.dev3', '1.0b1', '1.0rc1', '1.0c2', '1.0', '1.0.0', '1.0+local.1', '1.0+local.a',
  '1.0.post1.dev1', '1.0.post1', '1.0-2', '1.0.1', '1!0.5', '3.8', '3.11', '3.11.2', '3.11.7', '3.12', '3.12.0rc1',
  '3.13.0a1', '3.13.0rc1', '3.13', 'v3.13.1', '3.13.1+local', '10.0',
];
const SPECS: [SpecOp, string][] = [
  ['==', '3.11'], ['==', '3.11.*'], ['==', '3.*'], ['!=', '3.11.*'], ['<', '3.13'], ['<=', '3.13'], ['>', '3.11'], ['>', '1.0'],
  ['>=', '3.12.0rc1'], ['~=', '3.11'], ['~=', '3.11.2'], ['~=', '1.0a1'], ['===', '3.11.2'], ['==', '1.0+local.1'],
  ['<', '1.0'], ['>', '1.0.post1'], ['>=', '1!0'], ['==', '1.0.0'],
];
const ITEMS = ['3.11', '3.11.2', '3.11.7', '3.12', '3.12.0rc1', '3.13.0a1', '3.13', '1.0', '1.0a1', '1.0.post1', '1.0+local.1', '1!0.5', '6.1.0-18-amd64', 'linux'];

describe('versions', () => {
  it.each([
    ['3.11', '3.11.0', 0],
    ['3.9', '3.10', -1],
    ['1.0rc1', '1.0', -1],
    ['1.0.dev1', '1.0a1', -1],
    ['1.0.post1', '1.0', 1],
    ['1!0.1', '2.0', 1],
    ['1.0+abc', '1.0', 1],
    ['1.0+5', '1.0+abc', 1],
  ])('%s vs %s → %i', (a, b, sign) => {
    expect(Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!))).toBe(sign);
  });

  it.each(['linux', '6.1.0-18-amd64', '', '1.0-', '3..8', '#1 SMP'])('%j is no version', (v) => {
    expect(parseVersion(v)).toBeUndefined();
  });

  it.each([
    ['>=', '3.8', true],
    ['>=', 'linux', false],
    ['==', '3.11.*', true],
    ['<', '3.11.*', false],
    ['~=', '3', false],
    ['~=', '3.8', true],
    ['===', 'anything-goes', true],
    ['==', '1.0+local', true],
    ['>=', '1.0+local', false],
  ] as const)('specifier %s%s valid: %s', (op, v, ok) => {
    expect(parseSpecifier(op, v) !== undefined).toBe(ok);
  });
});

// The same questions asked of the real `packaging` library.
describe('agrees with packaging', () => {
  it('on ordering and on specifier containment', async (ctx) => {
    const probe = await run('python3', ['-c', 'import packaging.version']);
    if (probe.failed) ctx.skip('python3 on PATH cannot import packaging');
    const script = `
import json, sys
from packaging.version import Version
from packaging.specifiers import Specifier
q = json.load(sys.stdin)
order = [[(Version(a) > Version(b)) - (Version(a) < Version(b)) for b in q['versions']] for a in q['versions']]
contains = [[Specifier(op + v).contains(i, prereleases=True) for i in q['items']] for op, v in q['specs']]
print(json.dumps({'order': order, 'contains': contains}))
`;
    const r = await run('python3', ['-c', script], { input: JSON.stringify({ versions: VERSIONS, specs: SPECS, items: ITEMS }) });
    expect(r.failed, r.stderr).toBe(false);
    const theirs = JSON.parse(r.stdout) as { order: number[][]; contains: boolean[][] };
    const order = VERSIONS.map((a) => VERSIONS.map((b) => Math.sign(compareVersions(parseVersion(a)!, parseVersion(b)!))));
    const contains = SPECS.map(([op, v]) => ITEMS.map((i) => specifierContains(parseSpecifier(op, v)!, i)));
    expect(order).toEqual(theirs.order);
    expect(contains).toEqual(theirs.contains);
  });
});
