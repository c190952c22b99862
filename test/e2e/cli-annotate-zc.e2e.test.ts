// What annotate resolves, against the real zc.buildout (from PyPI, cached): the raw
// values with their sources (what zc.buildout's `annotate` prints) and the substituted
// value of every option of every section, on the 26 real-world configurations and the
// Plone 6.1 core-development fixture. zc.buildout runs its own constructor with recipe
// construction neutralised (test/fixtures/zc-reference/annotate_dump.py); ours is the
// same pure configuration (no recipe hooks). Every difference is fixed or listed in
// KNOWN with the reason docs/differences.md gives.
import { describe, expect, it, beforeAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { PROJECT_ROOT } from '../helpers/cli.js';
import { ZC_BUILDOUT_VERSION, zcBuildout } from '../helpers/reference.js';
import { ZC_BUILDOUT_VERSION as OUR_ZC_VERSION } from '../../src/config/buildout-defaults.js';
import { loadBuildout } from '../../src/config/resolve.js';
import { isBuildoutError } from '../../src/errors.js';
import type { Buildout } from '../../src/config/types.js';

const SHARED = join(PROJECT_ROOT, '..', 'shared');
const REALWORLD = join(SHARED, 'realworld-configs');
const PERF = join(SHARED, 'perf-fixtures', 'plone-coredev-6.1');
const DUMP = join(PROJECT_ROOT, 'test', 'fixtures', 'zc-reference', 'annotate_dump.py');
// offline: nothing is downloaded (URL extends of the corpus are local copies already)
const ASSIGNMENTS = ['buildout:offline=true'];

interface ZcResult {
  error?: { type: string; message: string };
  annotated: Record<string, Record<string, { value: string; history: [string, string, string][] }>>;
  sections: Record<string, Record<string, string>>;
  errors: Record<string, { type: string; message: string }>;
}

/**
 * Differences we keep on purpose, each with its reason (docs/differences.md, configuration
 * engine). A difference is `[section] option: what`; a pattern matches it whole.
 */
const KNOWN: Array<{ pattern: RegExp; reason: string }> = [
  { pattern: /^\[buildout\] executable: (raw|resolved) value differs$/, reason: 'the default executable is the Python that will run the parts, not the one running zc.buildout' },
];

function cases(): Array<[string, string, string]> {
  const out: Array<[string, string, string]> = [];
  if (existsSync(join(REALWORLD, 'README.md'))) {
    const readme = readFileSync(join(REALWORLD, 'README.md'), 'utf8');
    for (const m of readme.matchAll(/^## (\S+)\n\nMain cfg: `([^`]+)`/gm)) out.push([m[1]!, join(REALWORLD, m[1]!), m[2]!]);
  }
  if (existsSync(PERF)) out.push(['plone-coredev-6.1', PERF, 'buildout.cfg']);
  return out;
}

function zcResolve(python: string, dir: string, cfg: string): ZcResult {
  const out = join(dir, '.zc-result.json');
  const r = spawnSync(python, [DUMP, cfg, out, ...ASSIGNMENTS], { cwd: dir, encoding: 'utf8', env: { ...process.env, BUILDOUT_HOME: join(dir, '.no-user-defaults') } });
  if (r.status !== 0) throw new Error(`zc.buildout failed in ${dir}:\n${r.stderr}`);
  return JSON.parse(readFileSync(out, 'utf8')) as ZcResult;
}

async function oursResolve(dir: string, cfg: string): Promise<{ b?: Buildout; error?: string }> {
  try {
    const b = await loadBuildout({
      cwd: dir,
      configFile: cfg,
      userDefaults: false,
      assignments: ASSIGNMENTS.map((a) => ({ section: 'buildout', option: a.split(':')[1]!.split('=')[0]!, op: '=' as const, value: a.split('=')[1]! })),
    });
    return { b };
  } catch (e) {
    if (isBuildoutError(e)) return { error: e.message };
    throw e;
  }
}

/** Every difference between the two, as `[section] option: what`. */
function differences(zc: ZcResult, b: Buildout): string[] {
  const diffs: string[] = [];
  const ours = new Set(b.sectionNames());
  for (const s of Object.keys(zc.annotated)) if (!ours.has(s)) diffs.push(`[${s}]: only zc.buildout has the section`);
  for (const s of ours) if (!(s in zc.annotated)) diffs.push(`[${s}]: only buildout-ts has the section`);
  for (const [s, zsec] of Object.entries(zc.annotated)) {
    const osec = b.annotated(s);
    if (!osec) continue;
    for (const k of new Set([...Object.keys(zsec), ...Object.keys(osec)])) {
      const z = zsec[k];
      const o = osec[k];
      if (!z || !o) {
        diffs.push(`[${s}] ${k}: only ${z ? 'zc.buildout' : 'buildout-ts'} has the option`);
        continue;
      }
      if (z.value !== o.value) diffs.push(`[${s}] ${k}: raw value differs`);
      // the same file: zc.buildout keeps `dir/../x.cfg` as joined, we normalise (docs/differences.md)
      const zsource = normalize(z.history[z.history.length - 1]![2]);
      const osource = o.history[o.history.length - 1]!.loc.file;
      if (zsource !== osource) diffs.push(`[${s}] ${k}: source differs (zc.buildout ${zsource}, buildout-ts ${osource})`);
    }
  }
  for (const s of ours) {
    let resolved: Readonly<Record<string, string>> | undefined;
    let error: string | undefined;
    try {
      resolved = b.section(s);
    } catch (e) {
      if (!isBuildoutError(e)) throw e;
      error = e.message;
    }
    const zerr = zc.errors[s];
    if (zerr && !error) diffs.push(`[${s}]: only zc.buildout fails (${zerr.type}: ${zerr.message})`);
    else if (error && !zerr) diffs.push(`[${s}]: only buildout-ts fails (${error})`);
    if (!resolved || !zc.sections[s]) continue;
    const zsec = zc.sections[s]!;
    for (const k of new Set([...Object.keys(zsec), ...Object.keys(resolved)])) {
      if (!(k in zsec) || !(k in resolved)) diffs.push(`[${s}] ${k}: only ${k in zsec ? 'zc.buildout' : 'buildout-ts'} has the resolved option`);
      else if (zsec[k] !== resolved[k]) diffs.push(`[${s}] ${k}: resolved value differs`);
    }
  }
  return diffs;
}

describe.skipIf(!existsSync(REALWORLD) && !existsSync(PERF))('annotate against the real zc.buildout', () => {
  let python: string;
  beforeAll(() => {
    python = zcBuildout().python;
  }, 600_000);

  it('stands in for the reference version', () => {
    // the [versions] default pin `zc.buildout = >=X` names the version we reproduce
    expect(OUR_ZC_VERSION).toBe(ZC_BUILDOUT_VERSION);
  });

  it('covers the whole corpus', () => {
    expect(cases().length).toBe(27);
  });

  it.each(cases())('%s: the same raw values, sources and resolved values', async (_name, source, cfg) => {
    // zc.buildout creates directories (eggs/) where it runs: work on a copy
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'bo-zc-diff-')));
    try {
      cpSync(source, dir, { recursive: true });
      const zc = zcResolve(python, dir, cfg);
      const ours = await oursResolve(dir, cfg);
      if (zc.error || ours.error) {
        expect({ ours: ours.error, zc: zc.error?.message }).toEqual({ ours: undefined, zc: undefined });
        return;
      }
      const diffs = differences(zc, ours.b!).filter((d) => !KNOWN.some((k) => k.pattern.test(d)));
      expect(diffs).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
