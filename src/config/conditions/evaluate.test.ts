// evaluateCondition end to end: the facts come from a real interpreter.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatUserError, isBuildoutError, type BuildoutError } from '../../errors.js';
import { run } from '../../process/run.js';
import { evaluateCondition } from './index.js';

const DEBIAN = '/usr/bin/python3';
const loc = { file: '/srv/site/buildout.cfg', line: 7 };
let cache: string;

beforeAll(() => {
  cache = fs.mkdtempSync(path.join(os.tmpdir(), 'buildout-ts-cond-'));
  process.env.BUILDOUT_TS_CACHE_DIR = cache;
});
afterAll(() => {
  delete process.env.BUILDOUT_TS_CACHE_DIR;
  fs.rmSync(cache, { recursive: true, force: true });
});

describe.skipIf(!fs.existsSync(DEBIAN))('evaluateCondition with /usr/bin/python3', () => {
  it('answers as that interpreter would', async () => {
    const r = await run(DEBIAN, ['-c', 'import sys; print(sys.version_info[0] == 3, sys.version_info >= (3, 12), sys.platform.startswith("linux"))']);
    const [py3, ge312, linux] = r.stdout.trim().split(' ').map((w) => w === 'True');
    const ctx = { executable: DEBIAN, loc, section: 'versions' };
    expect(await evaluateCondition('python3', ctx)).toBe(py3);
    expect(await evaluateCondition('sys.version_info >= (3, 12)', ctx)).toBe(ge312);
    expect(await evaluateCondition('python_version >= "3.12"', ctx)).toBe(ge312);
    expect(await evaluateCondition('linux and not windows', ctx)).toBe(linux);
  });

  it('reports a missing interpreter with the header it was needed for', async () => {
    const err = (await evaluateCondition('python3', { executable: '/nonexistent/python3', loc, section: 'x' }).catch((e: unknown) => e)) as BuildoutError;
    expect(isBuildoutError(err)).toBe(true);
    expect(err.code).toBe('PythonNotFound');
    expect(formatUserError(err)).toContain('Evaluating the condition of [x:python3] (/srv/site/buildout.cfg:7)');
  });

  it('rejects a blank condition without looking for an interpreter', async () => {
    const err = (await evaluateCondition('  ', { executable: '/nonexistent/python3', loc, section: 'x' }).catch((e: unknown) => e)) as BuildoutError;
    expect(err.code).toBe('ConditionError');
  });
});

const PY27 = `${process.env.PYENV_ROOT || path.join(os.homedir(), '.pyenv')}/versions/2.7.18/bin/python2.7`;
describe.skipIf(!fs.existsSync(PY27))('evaluateCondition with a real Python 2.7 (pyenv)', () => {
  it('makes [versions:python27] apply and python3 conditions not', async () => {
    const ctx = { executable: PY27, loc, section: 'versions' };
    expect(await evaluateCondition('python27', ctx)).toBe(true);
    expect(await evaluateCondition('python2 and not python3', ctx)).toBe(true);
    expect(await evaluateCondition('python_version < "3"', ctx)).toBe(true);
    expect(await evaluateCondition('sys.version_info >= (3, 0)', ctx)).toBe(false);
  });
});
