// Writes an inline file tree into a fresh temporary directory, removed when the test ends.
import { mkdtempSync, mkdirSync, writeFileSync, rmSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { onTestFinished } from 'vitest';

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
      // called outside a test (e.g. beforeAll): the caller cleans up
    }
  }
  return root;
}

/** Replaces the temp root with <root> so output can be snapshotted. */
export function transformPaths(text: string, root: string): string {
  return text.split(root).join('<root>');
}
