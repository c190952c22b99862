import { describe, expect, it, onTestFinished } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger } from '../log.js';
import { removePaths } from './remove-paths.js';

function tmp(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-rm-')));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('removePaths', () => {
  it('removes files and directories, relative ones against the buildout directory; missing ones are fine', () => {
    const root = tmp();
    mkdirSync(join(root, 'parts/a/sub'), { recursive: true });
    writeFileSync(join(root, 'bin-script'), '');
    const warnings: string[] = [];
    removePaths([join(root, 'parts/a'), 'bin-script', 'never-made'], root, createLogger({ write: (l) => warnings.push(l) }));
    expect(existsSync(join(root, 'parts/a'))).toBe(false);
    expect(existsSync(join(root, 'bin-script'))).toBe(false);
    expect(existsSync(join(root, 'parts'))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('refuses to remove the buildout directory, its parents, / and the home directory', () => {
    const root = tmp();
    const warnings: string[] = [];
    removePaths([root, dirname(root), '/', homedir(), '.'], root, createLogger({ write: (l) => warnings.push(l) }));
    expect(existsSync(root)).toBe(true);
    expect(warnings).toHaveLength(5);
    expect(warnings[0]).toBe(`Warning: Not removing ${root}: it is the buildout directory, one of its parents or the home directory.`);
  });
});
