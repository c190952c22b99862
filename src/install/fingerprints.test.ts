import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Buildout } from '../config/types.js';
import { envFingerprint } from './env-fingerprint.js';
import { buildoutTsVersion, partSignature } from './signature.js';

function tmp(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-sig-')));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('partSignature', () => {
  it('is buildout-ts-<version> without input files', () => {
    expect(buildoutTsVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(partSignature([])).toBe(`buildout-ts-${buildoutTsVersion()}`);
    expect(partSignature([], '9.9.9')).toBe('buildout-ts-9.9.9');
  });

  it('changes when an input file changes size or mtime, or disappears; not with the order of the files', () => {
    const dir = tmp();
    const a = join(dir, 'a.ini');
    const b = join(dir, 'b.ini');
    writeFileSync(a, 'one');
    writeFileSync(b, 'two');
    const sig = partSignature([a, b]);
    expect(sig).toMatch(new RegExp(`^buildout-ts-${buildoutTsVersion().replaceAll('.', '\\.')} inputs-[0-9a-f]{16}$`));
    expect(partSignature([b, a, a])).toBe(sig);
    writeFileSync(a, 'one!');
    const bigger = partSignature([a, b]);
    expect(bigger).not.toBe(sig);
    utimesSync(a, new Date(2001, 1, 1), new Date(2001, 1, 1));
    expect(partSignature([a, b])).not.toBe(bigger);
    rmSync(b);
    expect(partSignature([a, b])).not.toBe(partSignature([a]));
  });
});

describe('envFingerprint', () => {
  function fake(buildout: Record<string, string>, sections: Record<string, Record<string, string>> = {}): Buildout {
    return {
      buildout,
      hasSection: (n: string) => n in sections,
      section: (n: string) => sections[n]!,
    } as unknown as Buildout;
  }
  const base = { executable: '/usr/bin/python3', develop: 'src/a', newest: 'true', offline: 'false' };

  it('changes with a [versions] pin, develop or the interpreter', () => {
    const fp = envFingerprint(fake(base, { versions: { Zope: '5.9' } }));
    expect(envFingerprint(fake(base, { versions: { Zope: '5.10' } }))).not.toBe(fp);
    expect(envFingerprint(fake({ ...base, develop: 'src/a src/b' }, { versions: { Zope: '5.9' } }))).not.toBe(fp);
    expect(envFingerprint(fake({ ...base, executable: '/opt/python3.12' }, { versions: { Zope: '5.9' } }))).not.toBe(fp);
    expect(envFingerprint(fake({ ...base, versions: 'pins' }, { pins: { Zope: '5.10' }, versions: { Zope: '5.9' } }))).not.toBe(fp);
  });

  it('ignores per-run flags and whitespace layout', () => {
    const fp = envFingerprint(fake(base, { versions: { Zope: '5.9' } }));
    expect(envFingerprint(fake({ ...base, newest: 'false', offline: 'true', 'socket-timeout': '3' }, { versions: { Zope: '5.9' } }))).toBe(fp);
    expect(envFingerprint(fake({ ...base, develop: '\n  src/a\n' }, { versions: { Zope: '5.9' } }))).toBe(fp);
  });
});
