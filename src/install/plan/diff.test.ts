import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { unifiedDiff } from './diff.js';

// GNU diff -u is the reference for the format (headers aside)
function gnuDiff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'diff-'));
  try {
    writeFileSync(join(dir, 'a'), a);
    writeFileSync(join(dir, 'b'), b);
    const r = spawnSync('diff', ['-u', '--label', 'old', '--label', 'new', join(dir, 'a'), join(dir, 'b')], { encoding: 'utf8' });
    return r.stdout;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('unifiedDiff', () => {
  it('is empty for equal texts', () => {
    expect(unifiedDiff('a\nb\n', 'a\nb\n', 'old', 'new')).toBe('');
  });

  it('shows a changed line with three lines of context, as diff -u does', () => {
    const a = ['[server:main]', 'use = egg:waitress#main', 'host = 127.0.0.1', 'port = 8080', 'threads = 4', '', '[app:zope]', 'use = egg:Zope#main', ''].join('\n');
    const b = a.replace('port = 8080', 'port = 8081');
    expect(unifiedDiff(a, b, 'old', 'new')).toBe(gnuDiff(a, b));
    expect(unifiedDiff(a, b, 'old', 'new')).toContain('-port = 8080\n+port = 8081\n');
  });

  it('agrees with GNU diff -u on any pair of small texts', () => {
    const line = fc.constantFrom('a', 'b', 'c', 'd', '', 'x = 1');
    const text = fc.array(line, { maxLength: 14 }).map((ls) => (ls.length ? ls.join('\n') + '\n' : ''));
    fc.assert(
      fc.property(text, text, (a, b) => {
        // several minimal diffs may exist: compare what each hunk removes and adds, in order
        const ours = unifiedDiff(a, b, 'old', 'new');
        const theirs = gnuDiff(a, b);
        expect(ours === '').toBe(theirs === '');
        const apply = (patch: string) => patch.split('\n').filter((l) => /^[ +]/.test(l) && !l.startsWith('+++')).map((l) => l.slice(1));
        if (ours) expect(apply(ours).join('\n')).toBe(apply(theirs).join('\n'));
      }),
      { numRuns: 200 },
    );
  });
});
