// Property tests of the parser and the resolver under generated configurations:
// whatever the input, the answer is a result or a BuildoutError (never another
// error, which the CLI reports as an internal bug), and `check` agrees with
// `annotate --json` on what is an error in the configuration.
import { describe, expect, it, onTestFinished } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isBuildoutError, formatLoc, type BuildoutError } from '../../errors.js';
import { silentLogger } from '../../log.js';
import { lexConfig, parseConfig } from '../../config/parse.js';
import type { Assignment, LoadOptions } from '../../config/types.js';
import type { CommandContext } from '../context.js';
import { checkConfiguration } from './check.js';
import { run as annotate } from './annotate.js';

const EXE: Assignment = { section: 'buildout', option: 'executable', op: '=', value: '/usr/bin/python3' };
const FILES = ['buildout.cfg', 'a.cfg', 'b.cfg'] as const;

// --- generators: pieces of real configurations; `wild` ones add mistakes of every kind ---

const sectionName = fc.constantFrom('buildout', 'buildout', 'a', 'b', 'c', 'versions', 'part-1');
const goodHeader = fc.oneof(
  { weight: 8, arbitrary: sectionName.map((n) => `[${n}]`) },
  { weight: 1, arbitrary: fc.tuple(sectionName, fc.constantFrom('python3', 'sys.platform == "nosuch"', 'linux and not windows', 'python_version >= "3.8"')).map(([n, c]) => `[${n}:${c}]`) },
);
const badHeader = fc.oneof(fc.tuple(sectionName, fc.constantFrom(' ', '1 +', 'nosuch_name')).map(([n, c]) => `[${n}:${c}]`), fc.constantFrom('[bad name]', '[x', '[]', '[a] # comment'));
const optionName = fc.constantFrom('x', 'y', 'z', 'recipe', 'recipe', 'parts', '<', 'extends', 'optional-extends', 'newest', 'offline', '<part-dependencies>', 'paths', 'eggs-directory');
const operator = fc.constantFrom(' = ', ' = ', ' = ', ' += ', ' -= ', '=', '+= ', ' =');
const goodReference = fc.constantFrom('${a:x}', '${:y}', '${b:x}${c:y}', '${buildout:directory}', '$${a:x}', '${:_buildout_section_name_}', '${buildout:parts-directory}');
const badReference = fc.constantFrom('${nope:x}', '${a:nope}', '${a}', '${a:b:c}', '${a:x', '${part-1:location}', '${bad name:x}');
const plainValue = fc.constantFrom('', '1', 'a', 'b', 'c', 'a b', 'part-1', 'true', 'false', 'buildout-ts:mkdir', 'a.cfg', 'b.cfg', 'a.cfg b.cfg', '$$', '/tmp/x');
const badPlainValue = fc.constantFrom('maybe', 'nosuch.recipe', 'collective.recipe.template', 'buildout.cfg', 'nosuch.cfg', 'a part-1', 'versions');
const lines = (wild: boolean) => {
  const reference = wild ? fc.oneof(goodReference, badReference) : goodReference;
  const plain = wild ? fc.oneof({ weight: 3, arbitrary: plainValue }, { weight: 1, arbitrary: badPlainValue }) : plainValue;
  const value = fc.oneof({ weight: 4, arbitrary: plain }, { weight: 2, arbitrary: reference }, { weight: 2, arbitrary: fc.tuple(plain, reference).map(([a, b]) => `${a}${b}`) }, { weight: wild ? 1 : 0, arbitrary: fc.string({ maxLength: 8 }) });
  const optionLine = fc.tuple(optionName, operator, value).map(([o, op, v]) => `${o}${op}${v.replace(/[\r\n]/g, ' ')}`);
  const continuation = value.map((v) => `    ${v.replace(/[\r\n]/g, ' ')}`);
  const badLine = fc.constantFrom('bad line', 'key: value', '  indented, maybe after a header', '= nothing', 'x *= 2');
  const comment = fc.constantFrom('# comment', '; comment', '');
  // an option and its continuation lines (a continuation right after a header is a wild bad line)
  const option = fc.tuple(optionLine, fc.array(continuation, { maxLength: 2 })).map(([o, c]) => [o, ...c].join('\n'));
  return fc.oneof({ weight: 24, arbitrary: option }, { weight: 3, arbitrary: comment }, { weight: wild ? 1 : 0, arbitrary: badLine });
};
const fileText = (wild: boolean) => {
  const header = wild ? fc.oneof({ weight: 15, arbitrary: goodHeader }, { weight: 1, arbitrary: badHeader }) : goodHeader;
  const section = fc.tuple(header, fc.array(lines(wild), { maxLength: 5 })).map(([h, ls]) => [h, ...ls].join('\n'));
  return fc.array(section, { maxLength: 4 }).map((secs) => secs.join('\n') + '\n');
};
// A working part first (most of the time), so that mistakes further on are reached.
const PREAMBLE = '[buildout]\nparts = part-1\n[part-1]\nrecipe = buildout-ts:mkdir\npaths = ${buildout:directory}/made\n';
const tree = fc.oneof({ weight: 2, arbitrary: fc.constant(false) }, { weight: 3, arbitrary: fc.constant(true) }).chain((wild) =>
  fc.tuple(fc.constant(wild), fileText(wild), fileText(wild), fileText(wild), fc.nat(9)).map(([, main, a, b, n]) => ({
    'buildout.cfg': (n > 0 ? PREAMBLE : '') + main,
    'a.cfg': a,
    'b.cfg': b,
  })),
);
const line = lines(true);
const header = fc.oneof(goodHeader, badHeader);
const cliAssignments = fc.array(
  fc.tuple(fc.constantFrom('buildout', 'a', 'part-1'), optionName, fc.constantFrom<Assignment['op']>('=', '+=', '-='), fc.oneof(plainValue, goodReference, badReference)).map(([section, option, op, value]) => ({ section, option, op, value })),
  { maxLength: 2 },
);

function workdir(): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bo-fuzz-')));
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}

function write(root: string, files: Record<string, string>): void {
  for (const f of FILES) rmSync(join(root, f), { force: true });
  for (const [f, text] of Object.entries(files)) writeFileSync(join(root, f), text);
}

/** annotate --json in-process: the sections, or the BuildoutError it fails with. */
async function annotateJson(load: LoadOptions): Promise<{ ok: true; out: string } | { ok: false; error: BuildoutError }> {
  let out = '';
  const ctx: CommandContext = { cwd: load.cwd, load, args: [], flags: { json: true }, verbosity: 0, log: silentLogger, out: (t) => (out += t), debug: false };
  try {
    await annotate(ctx);
    return { ok: true, out };
  } catch (e) {
    if (isBuildoutError(e)) return { ok: false, error: e };
    throw e;
  }
}

const key = (p: { code: string; message: string; loc?: { file: string; line?: number }; section?: string; option?: string }) =>
  [p.code, p.message, formatLoc(p.loc), p.section ?? '', p.option ?? ''].join(' | ');

describe('the parser under any text', () => {
  it('lexes and assembles arbitrary text into sections or a ParsingError-like BuildoutError', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 200 }), fileText(true), fc.array(fc.oneof(line, header, fc.string({ maxLength: 10 })), { maxLength: 12 }).map((ls) => ls.join(fc.sample(fc.constantFrom('\n', '\r\n', '\r'), 1)[0])));
    fc.assert(
      fc.property(text, (t) => {
        try {
          const sections = parseConfig(t, '/x/buildout.cfg');
          for (const s of sections.values()) for (const o of s.opts.values()) expect(o.loc.line).toBeGreaterThan(0);
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
          expect(['ParsingError', 'MissingSectionHeaderError']).toContain(e.code);
          expect(e.loc?.file).toBe('/x/buildout.cfg');
          expect(e.loc?.line).toBeGreaterThan(0);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('what it reads back is what was written: names, values, continuation lines and line numbers', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9._-]{0,6}$/);
    const val = fc.stringMatching(/^[^\s#;][^\r\n]{0,10}$/).map((v) => v.trimEnd());
    const sec = fc.tuple(name, fc.uniqueArray(fc.tuple(name, val, fc.array(val, { maxLength: 2 })), { selector: (o) => o[0], maxLength: 4 }));
    fc.assert(
      fc.property(fc.uniqueArray(sec, { selector: (s) => s[0], minLength: 1, maxLength: 3 }), (secs) => {
        const lines: string[] = [];
        const expected: Record<string, Record<string, [string, number]>> = {};
        for (const [n, opts] of secs) {
          lines.push(`[${n}]`);
          expected[n] = {};
          for (const [k, v, cont] of opts) {
            lines.push(`${k} = ${v}`);
            expected[n]![k] = [[v, ...cont].join('\n'), lines.length];
            for (const c of cont) lines.push(`  ${c}`);
          }
        }
        const parsed = parseConfig(lines.join('\n') + '\n', '/x/b.cfg');
        const got: Record<string, Record<string, [string, number]>> = {};
        for (const [n, s] of parsed) {
          got[n] = {};
          for (const [k, o] of s.opts) got[n]![k] = [o.value, o.loc.line!];
        }
        expect(got).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('lexConfig never throws anything but a BuildoutError, whatever the bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (bytes) => {
        try {
          lexConfig(Buffer.from(bytes).toString('utf8'), '/x/b.cfg');
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the resolver under generated configurations', () => {
  it('check and annotate --json never fail with anything but a BuildoutError, and agree on what is an error', async () => {
    const root = workdir();
    const outcomes = { ok: 0, error: 0 };
    await fc.assert(
      fc.asyncProperty(tree, cliAssignments, async (files, assignments) => {
        write(root, files);
        const load: LoadOptions = { cwd: root, userDefaults: false, assignments: [EXE, ...assignments] };
        const annotated = await annotateJson(load);
        outcomes[annotated.ok ? 'ok' : 'error']++;
        const { problems } = await checkConfiguration({ ...load });
        const configErrors = problems.filter((p) => p.severity === 'error' && p.stage === 'config');
        if (annotated.ok) {
          expect(configErrors.map(key)).toEqual([]);
          expect(JSON.parse(annotated.out)).toHaveProperty('sections');
        } else {
          // the error annotate --json stops at is one of those check lists
          expect(configErrors.map(key)).toContain(key(annotated.error));
          // and it says where: a file (and a line when it comes from a file), or the command line
          expect(annotated.error.loc ?? annotated.error.section).toBeTruthy();
        }
        for (const p of problems) expect(p.message).not.toMatch(/undefined|\[object Object\]/);
      }),
      { numRuns: 250 },
    );
    // the generator reaches both: configurations that resolve, and mistakes of every kind
    expect(outcomes.ok).toBeGreaterThan(20);
    expect(outcomes.error).toBeGreaterThan(20);
  });
});
