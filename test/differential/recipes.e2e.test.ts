// Differential test: the real zc.buildout with plone.recipe.zope2instance and
// plone.recipe.zeoserver (from PyPI, test/helpers/reference.ts) and buildout-ts run on
// the same matrix of configurations (fixtures/matrix.cfg: ZEO clients, file/blob/demo/
// before/zlib/RelStorage storages, zcml, environment, http, logging, templates,
// initialization, zeoserver options). What each writes must be the same, byte for byte,
// except for the differences docs/differences.md lists; the scripts must behave the same.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { expectedOurs, listDirs, listFiles, mode, readNormalised } from './compare.js';
import { runZcBuildout, zopeReference, type Reference } from '../helpers/reference.js';

const FIXTURES = join(PROJECT_ROOT, 'test', 'differential', 'fixtures');
let ref: Reference;
let real: string;
let ours: string;

function layout(): string {
  const dir = testdir();
  copyFileSync(join(FIXTURES, 'matrix.cfg'), join(dir, 'buildout.cfg'));
  for (const f of ['custom.ini.in', 'logging.ini.in']) copyFileSync(join(FIXTURES, f), join(dir, f));
  copyFileSync(join(PROJECT_ROOT, 'examples', 'versions.cfg'), join(dir, 'versions.cfg'));
  mkdirSync(join(dir, 'extra'));
  return dir;
}

beforeAll(() => {
  ref = zopeReference('zope');
  real = layout();
  ours = layout();
  const r = runZcBuildout(ref, real);
  expect(r.exitCode, r.output).toBe(0);
  const o = runCli([], { cwd: ours });
  expect(o.exitCode, o.stderr).toBe(0);
}, 1_800_000);

const parts = () => readdirSync(join(real, 'parts')).sort();
// zdaemon's zeoctl and its .eggs marker: our ZEO control script replaces zdaemon (documented)
const NOT_WRITTEN = /^(zeo[-\w]*\/bin\/zeoctl|zeo[-\w]*\/etc\/\.eggs)$/;
// scripts are compared by behaviour, not text
const SCRIPTS = /(^|\/)bin\/(interpreter|runzeo)$/;

describe('buildout-ts and the real recipes write the same files', () => {
  it('the same parts, part files and bin/ scripts', () => {
    expect(readdirSync(join(ours, 'parts')).sort()).toEqual(parts());
    expect(listFiles(join(ours, 'parts'))).toEqual(listFiles(join(real, 'parts'), NOT_WRITTEN));
    expect(readdirSync(join(ours, 'bin')).sort()).toEqual(readdirSync(join(real, 'bin')).sort());
  });

  it('the same directories under var/ and the custom var', () => {
    for (const v of ['var', 'othervar']) expect(listDirs(join(ours, v)), v).toEqual(listDirs(join(real, v)));
  });

  it.each(['zope.conf', 'wsgi.ini', 'zeo.conf', 'site.zcml', 'package-includes'])('%s: identical but for the documented differences', (kind) => {
    let compared = 0;
    for (const rel of listFiles(join(real, 'parts'), NOT_WRITTEN)) {
      if (SCRIPTS.test(rel) || !rel.includes(kind) || rel.endsWith('inituser')) continue;
      const want = expectedOurs(rel, readNormalised(join(real, 'parts', rel), real));
      expect(readNormalised(join(ours, 'parts', rel), ours), rel).toBe(want);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  });

  it('inituser: the same line, a hash that verifies the password, mode 0600 instead of 0644', () => {
    for (const p of parts().filter((p) => existsSync(join(real, 'parts', p, 'inituser')))) {
      const file = join(ours, 'parts', p, 'inituser');
      expect(readFileSync(file, 'utf8'), p).toBe(readFileSync(join(real, 'parts', p, 'inituser'), 'utf8'));
      expect([mode(join(real, 'parts', p, 'inituser')), mode(file)]).toEqual([0o644, 0o600]);
    }
    // the hash is Zope's {SHA} scheme for the password after the first colon: AuthEncoding verifies it
    const line = readFileSync(join(ours, 'parts', 'fs-default', 'inituser'), 'utf8').trim();
    const check = spawnSync(ref.python, ['-c', 'import sys, AuthEncoding; print(AuthEncoding.pw_validate(sys.argv[1].encode(), sys.argv[2].encode()))', line.slice(line.indexOf(':') + 1), 's3cr:et'], { encoding: 'utf8' });
    expect(check.stdout.trim(), check.stderr).toBe('True');
  });
});

describe('the scripts behave the same', () => {
  const both = (rel: string, args: string[]) =>
    [real, ours].map((root) => {
      const r = spawnSync(join(root, rel), args, { cwd: root, encoding: 'utf8', timeout: 60_000 });
      return { code: r.status, out: (r.stdout + r.stderr).split(root).join('<root>') };
    });

  // zc.buildout's interpreter runs `-c CODE` and then also the next argument as a script
  // (`interpreter -c pass a` opens a file `a`), so arguments go to a script file here
  const SHOW = "import os, sys\nprint(sys.argv, os.environ.get('DIFF_USER'), os.environ.get('DIFF_PCT'), any(p.endswith('/extra') for p in sys.path))\n";

  it("the part's interpreter: initialization (with %(user)s and %%), extra-paths, arguments, Zope importable", () => {
    for (const root of [real, ours]) writeFileSync(join(root, 'show.py'), SHOW);
    const [r, o] = both('parts/init/bin/interpreter', ['show.py', 'a', 'b c']);
    expect(r!.code, r!.out).toBe(0);
    expect(r!.out).toBe("['show.py', 'a', 'b c'] admin:s3cr:et 100% True\n");
    expect(o).toEqual(r);
    const [rz, oz] = both('parts/init/bin/interpreter', ['-c', 'import Zope2, ZEO; print(Zope2.__name__)']);
    expect(rz!.out).toBe('Zope2\n');
    expect(oz).toEqual(rz);
  });

  it('an interpreter named by the option, and console scripts of the eggs (runwsgi --help)', () => {
    for (const root of [real, ours]) writeFileSync(join(root, 'show.py'), SHOW);
    const [r, o] = both('bin/zopepy', ['show.py', 'x']);
    expect(r!.code, r!.out).toBe(0);
    expect(o).toEqual(r);
    const [rh, oh] = both('bin/runwsgi', ['--help']);
    expect(rh!.code, rh!.out).toBe(0);
    expect(oh).toEqual(rh);
  });
});
