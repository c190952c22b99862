// Writes an inline file tree into a fresh temporary directory, removed when the test ends (made
// outside a test, in beforeAll or at load: when the file's tests are done, by cleanup.setup.ts).
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

/** the directories this test file made outside its tests, removed once its tests are done */
const madeOutsideTests: string[] = [];

export function testdir(files: Record<string, string> = {}, opts: { keep?: boolean } = {}): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'buildout-ts-')));
  for (const [rel, content] of Object.entries(files)) {
    const p = join(root, rel);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  if (!opts.keep && !process.env.KEEP_TESTDIR) {
    try {
      onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    } catch {
      madeOutsideTests.push(root);
    }
  }
  return root;
}

/** Removes what testdir made outside tests: after the file's own afterAll hooks (they stop its servers first). */
export function removeDirsMadeOutsideTests(): void {
  for (const dir of madeOutsideTests.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** Replaces the temp root with <root> so output can be snapshotted. */
export function transformPaths(text: string, root: string): string {
  return text.split(root).join('<root>');
}
