#!/usr/bin/env node
// The test suite on Node 24 (scripts/node24.mjs), as `.ci/run` runs it after the suite on the
// machine's Node. Left out: files whose time goes to Python and the servers, not to our CLI:
// they run the same CLI paths as the e2e tests kept here, and the run on the machine's Node has
// them all. `--all` runs everything. Extra arguments go to vitest.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PYTHON_BOUND = [
  'test/e2e/instance-python-unit.test.ts', // pytest of python/ (no Node at all)
  'test/e2e/zope2instance-examples.e2e.test.ts', // every example with real Plone and each server
  'test/e2e/instance-plone.e2e.test.ts', // Plone served by each backend, restarts
  'test/e2e/cluster-plone.e2e.test.ts', // three Plone instances behind haproxy under wrk
  'test/e2e/zope2instance-relstorage.e2e.test.ts', // Plone on PostgreSQL
];

const args = process.argv.slice(2);
const all = args.includes('--all');
const rest = args.filter((a) => a !== '--all');
const excludes = all ? [] : PYTHON_BOUND.flatMap((f) => ['--exclude', f]);
const r = spawnSync(process.execPath, [join(root, 'scripts', 'node24.mjs'), join(root, 'node_modules', 'vitest', 'vitest.mjs'), 'run', ...excludes, ...rest], { stdio: 'inherit', cwd: root });
process.exitCode = r.status ?? 1;
