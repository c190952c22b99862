import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendPicked, formatPicked, pickedVersions } from './picked.js';
import { versionPins } from './requirements.js';
import { parseResolution } from './uv.js';

const COMPILED = `-e /src/site
    # via -r requirements.in
waitress==3.0.2
    # via
    #   -c constraints.txt
    #   -r requirements.in
zope-component==7.1
    # via -r requirements.in
zope-event==6.2
    # via zope-component
zope-interface==8.7
    # via
    #   site
    #   zope-component
`;

describe('picked versions', () => {
  const { dists } = parseResolution(COMPILED);
  const names = (k: string) => ({ 'zope-component': 'zope.component', 'zope-event': 'zope.event', 'zope-interface': 'zope.interface' })[k] ?? k;

  it('reads uv pip compile output: pins, the editable, who requires what', () => {
    expect(dists.map((d) => [d.name, d.version, d.direct, d.requested])).toEqual([
      ['/src/site', '', true, true],
      ['waitress', '3.0.2', false, true],
      ['zope-component', '7.1', false, true],
      ['zope-event', '6.2', false, false],
      ['zope-interface', '8.7', false, false],
    ]);
    expect(dists[4]!.requiredBy).toEqual(['site', 'zope-component']);
  });

  it('leaves out exact pins, `==` requirements and develop eggs; dependencies get "# Required by:" as in zc.buildout', () => {
    const picked = pickedVersions(dists, versionPins({ waitress: '3.0.2' }).pins, new Set(['site']), ['zope.component', 'waitress'], names);
    expect(formatPicked(picked)).toEqual(['[versions]', 'zope.component = 7.1', '', '# Required by:', '# zope.component==7.1', 'zope.event = 6.2', '', '# Required by:', '# site', '# zope.component==7.1', 'zope.interface = 8.7']);
    expect(pickedVersions(dists, versionPins({}).pins, new Set(['site']), ['zope.component==7.1', 'waitress'], names).map((p) => p.name)).toEqual(['waitress', 'zope.event', 'zope.interface']);
  });

  it('update-versions-file: a new file starts with [versions]; later runs append "# Added by buildout at <now>"', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'picked-')), 'versions.cfg');
    const picked = [{ name: 'a', version: '1', requiredBy: [] }];
    appendPicked(file, picked);
    expect(readFileSync(file, 'utf8')).toBe('[versions]\na = 1\n');
    appendPicked(file, [{ name: 'b', version: '2', requiredBy: ['a==1'] }], new Date(2026, 0, 2, 3, 4, 5, 67));
    expect(readFileSync(file, 'utf8')).toBe('[versions]\na = 1\n\n# Added by buildout at 2026-01-02 03:04:05.067000\n\n# Required by:\n# a==1\nb = 2\n');
    writeFileSync(file, '');
  });
});
