// The Python package's own unit tests (python/tests, pytest) in the cached `servers`
// environment (PasteDeploy, the WSGI servers, pytest from PyPI), against the sources in python/.
// A failing pytest test fails this test and its report is shown.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PYTHON_SOURCE_DIR } from '../../src/python/bundled.js';
import { testEnv } from '../fixtures/instance/envs.js';

describe('python/tests (pytest)', () => {
  it('passes', async () => {
    const env = await testEnv('servers');
    const r = spawnSync(env.python, ['-m', 'pytest', '-q', '-p', 'no:cacheprovider', '-rfE', join(PYTHON_SOURCE_DIR, 'tests')], {
      cwd: PYTHON_SOURCE_DIR,
      encoding: 'utf8',
      env: { ...process.env, PYTHONPATH: PYTHON_SOURCE_DIR, PYTHONDONTWRITEBYTECODE: '1' },
      timeout: 600_000,
    });
    const report = `${r.stdout}\n${r.stderr}`;
    expect(r.status, report).toBe(0);
    // pytest ran tests (a collection problem would pass with "no tests ran" otherwise: exit 5)
    expect(report).toMatch(/\d+ passed/);
  }, 600_000);
});
