import { describe, expect, it } from 'vitest';
import { hashedRequirements, parseHashedOutput, preferenceLines } from './locked-output.js';

const H = (c: string) => `sha256:${c.repeat(64)}`;
// the shape of `uv pip compile --universal --generate-hashes` output
const OUTPUT = `-e file:///work/src/site
    # via -r requirements.in
click==8.1.7 \\
    --hash=${H('a')} \\
    --hash=${H('b')}
    # via
    #   -c constraints.txt
    #   -r requirements.in
colorama==0.4.6 ; sys_platform == 'win32' \\
    --hash=${H('c')}
    # via click
`;

describe('hashed requirements', () => {
  it('reads uv output: versions, markers, hashes, who requires what', () => {
    const r = parseHashedOutput(OUTPUT);
    expect(r.packages).toEqual([
      { name: 'click', version: '8.1.7', hashes: [H('a'), H('b')] },
      { name: 'colorama', version: '0.4.6', marker: "sys_platform == 'win32'", hashes: [H('c')] },
    ]);
    expect(r.dists.map((d) => [d.name, d.direct, d.requested, d.requiredBy])).toEqual([
      ['file:///work/src/site', true, true, []],
      ['click', false, true, []],
      ['colorama', false, false, ['click']],
    ]);
  });
  it('writes what --require-hashes installs (develop eggs left out) and reads it back', () => {
    const { packages } = parseHashedOutput(OUTPUT);
    const text = hashedRequirements(packages, new Set(['click']));
    expect(text).toBe(`colorama==0.4.6 ; sys_platform == 'win32' \\\n    --hash=${H('c')}\n`);
    expect(parseHashedOutput(hashedRequirements(packages, new Set())).packages).toEqual(packages);
    expect(preferenceLines(packages)).toBe("click==8.1.7\ncolorama==0.4.6 ; sys_platform == 'win32'\n");
  });
});
