// Where the benches write their raw numbers: $BENCH_RESULTS_DIR, else .bench-tmp/results.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function writeResults(name, data) {
  const dir = process.env.BENCH_RESULTS_DIR || join(ROOT, '.bench-tmp', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
