import { describe, expect, it, onTestFinished } from 'vitest';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadBuildout } from './resolve.js';
import type { Assignment, Buildout, LoadOptions, SectionReader } from './types.js';
import { PendingWork, settle } from './pending.js';
import { isBuildoutError, type BuildoutError } from '../errors.js';

function tree(files: Record<string, string>): string {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'bo-mat-')));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  onTestFinished(() => rmSync(root, { recursive: true, force: true }));
  return root;
}
const EXE: Assignment = { section: 'buildout', option: 'executable', op: '=', value: '/usr/bin/python3' };
async function load(files: Record<string, string> | string, opts: Partial<LoadOptions> = {}): Promise<Buildout> {
  const root = tree(typeof files === 'string' ? { 'buildout.cfg': files } : files);
  return loadBuildout({ cwd: root, userDefaults: false, assignments: [EXE], ...opts });
}
async function failure(files: Record<string, string> | string, run: (b: Buildout) => unknown = () => {}, opts: Partial<LoadOptions> = {}): Promise<BuildoutError> {
  try {
    run(await load(files, opts));
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('expected a BuildoutError');
}

describe('macros (spec §5)', () => {
  it('inherits raw values; ${:x} resolves against the inheriting section', async () => {
    const b = await load('[buildout]\nparts =\n[base]\nname = ${:_buildout_section_name_}\npath = /srv/${:name}\nx = base\n[child]\n<= base\nx = child\n');
    expect(b.section('child')).toEqual({ name: 'child', path: '/srv/child', x: 'child' });
    expect(b.section('base')).toEqual({ name: 'base', path: '/srv/base', x: 'base' });
  });
  it('chained and several sources: later sources win, own += extends the inherited value', async () => {
    const b = await load('[buildout]\nparts =\n[a]\nx = a\neggs = A\n[b]\n<= a\ny = b\n[c]\nx = c\n[d]\n<= b\n  c\neggs += D\n');
    expect(b.section('d')).toEqual({ x: 'c', eggs: 'A\nD', y: 'b' });
  });
  it('gotcha: += from another file replaces the macro value', async () => {
    const b = await load({ 'buildout.cfg': '[buildout]\nextends = base.cfg\nparts =\n[d]\neggs += D\n', 'base.cfg': '[a]\neggs = A\n[d]\n<= a\n' });
    expect(b.section('d').eggs).toBe('\nD');
  });
  it('sources see merged data from later files', async () => {
    const b = await load({ 'buildout.cfg': '[buildout]\nextends = base.cfg\nparts =\n[a]\nx = late\n', 'base.cfg': '[a]\nx = early\n[d]\n<= a\n' });
    expect(b.section('d').x).toBe('late');
  });
  it('is ignored in [buildout], where < stays an option', async () => {
    const b = await load('[buildout]\nparts =\n<= other\n[other]\nx = 1\n');
    expect(b.buildout['<']).toBe('other');
    expect(b.buildout.x).toBeUndefined();
  });
  it('a missing source and a loop are errors', async () => {
    const e1 = await failure('[buildout]\nparts =\n[d]\n<= nothere\n', (b) => b.section('d'));
    expect(e1.message).toBe("No section named 'nothere'");
    const e2 = await failure('[buildout]\nparts =\n[a]\n<= b\n[b]\n<= a\n', (b) => b.section('a'));
    expect(e2.message).toBe("Infinite extending loop 'a'");
  });
});

describe('substitution (spec §5)', () => {
  it('resolves ${section:option} and ${:option}, recursively and in multi-line values', async () => {
    const b = await load('[buildout]\nparts =\nname = demo\n[s]\na = ${buildout:name}\nb =\n  ${:a}-1\n  ${s:a}-2\n');
    expect(b.section('s')).toEqual({ a: 'demo', b: 'demo-1\ndemo-2' });
  });
  it('keeps $${a:b} verbatim and leaves lone $ and {x} alone', async () => {
    const b = await load('[buildout]\nparts =\n[s]\nx = 1\na = $${s:x} $ $$ {x} ${s:x}$$${s:x}\n');
    expect(b.section('s').a).toBe('$${s:x} $ $$ {x} 1$$1');
  });
  it('${other:_buildout_section_name_} names the current section', async () => {
    const b = await load('[buildout]\nparts =\n[other]\n[first]\nn = ${other:_buildout_section_name_}\n');
    expect(b.section('first').n).toBe('first');
  });
  it.each([
    ['${nocolon}', "The substitution, ${nocolon},\ndoesn't contain a colon."],
    ['${a:b:c}', 'The substitution, ${a:b:c},\nhas too many colons.'],
    ['${a/b:c}', 'The section name in substitution, ${a/b:c},\nhas invalid characters.'],
    ['${a:c/d}', 'The option name in substitution, ${a:c/d},\nhas invalid characters.'],
    ['${${a:b}:c}', 'The section name in substitution, ${${a:b},\nhas invalid characters.'],
  ])('bad reference %s', async (ref, message) => {
    const e = await failure(`[buildout]\nparts =\n[a]\nb = 1\n[s]\nx = ${ref}\n`, (b) => b.section('s'));
    expect(e.message).toBe(message);
    expect(e.loc?.line).toBe(6);
    expect(e.option).toBe('x');
  });
  it('missing section and option: zc.buildout messages, location and a did-you-mean hint', async () => {
    const e1 = await failure('[buildout]\nparts =\n[instance]\nport = 1\n[s]\nx = ${instanse:port}\n', (b) => b.section('s'));
    expect(e1.code).toBe('MissingSection');
    expect(e1.message).toBe("The referenced section, 'instanse', was not defined.");
    expect(e1.hint).toContain("'instance'");
    expect(e1.loc?.line).toBe(6);
    const e2 = await failure('[buildout]\nparts =\n[instance]\nport = 1\n[s]\nx = ${instance:prot}\n', (b) => b.section('s'));
    expect(e2.code).toBe('MissingOption');
    expect(e2.message).toBe('Referenced option does not exist: instance prot');
    expect(e2.hint).toContain("'port'");
    expect(e2.section).toBe('s');
  });
  it('cycles: zc.buildout sentence plus the options involved', async () => {
    const e1 = await failure('[buildout]\nparts =\n[s]\nx = ${:x}\n', (b) => b.section('s'));
    expect(e1.code).toBe('CircularReference');
    expect(e1.message.split('\n')[0]).toBe('Circular reference in substitutions.');
    expect(e1.message).toContain('${s:x} -> ${s:x}');
    const e2 = await failure('[buildout]\nparts =\n[a]\nx = ${b:y}\n[b]\ny = ${a:x}\n', (b) => b.section('a'));
    expect(e2.message).toMatch(/\$\{a:x\}.*\$\{b:y\}|\$\{b:y\}.*\$\{a:x\}/);
  });
});

describe('materialisation order and the install list (spec §5, §9.4)', () => {
  const cfg = [
    '[buildout]',
    'parts = b a b',
    '[a]',
    'recipe = r',
    'x = ${c:path}',
    '[b]',
    'recipe = r',
    '=> d',
    '[c]',
    'recipe = r',
    'path = /c',
    '[d]',
    'recipe = r',
    '[unused]',
    'recipe = r',
    '[plain]',
    'v = 1',
  ].join('\n');
  it('referenced and dependency sections come first; unreferenced recipes are not installed; duplicates once', async () => {
    const b = await load(cfg);
    expect(b.installList()).toEqual(['d', 'b', 'c', 'a']);
  });
  it('sections referenced from [buildout] are materialised first', async () => {
    const b = await load('[buildout]\nparts = a\nx = ${pre:v}\n[pre]\nrecipe = r\nv = 1\n[a]\nrecipe = r\n');
    expect(b.installList()).toEqual(['pre', 'a']);
  });
  it('calls the hook once per part with substituted options; its options are visible to references', async () => {
    const seen: string[] = [];
    const b = await load('[buildout]\nparts = a b\n[a]\nrecipe = r\nname = ${:_buildout_section_name_}\n[b]\nrecipe = r\nuses = ${a:location}\n', {
      recipes: {
        initialize: (part, options) => {
          seen.push(`${part}:${options.name ?? ''}`);
          return { location: `/parts/${part}` };
        },
      },
    });
    expect(b.installList()).toEqual(['a', 'b']);
    expect(seen).toEqual(['a:a', 'b:']);
    expect(b.section('b').uses).toBe('/parts/a');
    expect(b.section('a').location).toBe('/parts/a');
  });
  it('[buildout] sees options a recipe computes; that part is installed first', async () => {
    const recipes = { initialize: (part: string, _o: unknown, b: SectionReader) => ({ location: `${b.options['parts-directory']}/${part}` }) };
    const b = await load('[buildout]\nparts = other instance\nlogdir = ${instance:location}/log\n[instance]\nrecipe = r\n[other]\nrecipe = r\n', { recipes });
    expect(b.buildout.logdir).toBe(`${b.buildout.directory}/parts/instance/log`);
    expect(b.installList()).toEqual(['instance', 'other']);
  });
  it('the install list does not depend on the order in which sections were read', async () => {
    const text = '[buildout]\nparts = a b\n[a]\nrecipe = r\nx = ${c:v}\n[b]\nrecipe = r\ny = ${d:v}\n[c]\nrecipe = r\nv = 1\n[d]\nrecipe = r\nv = ${c:v}\n';
    const first = await load(text);
    const second = await load(text);
    for (const s of ['d', 'b', 'c', 'a']) second.section(s);
    expect(second.installList()).toEqual(first.installList());
    expect(first.installList()).toEqual(['c', 'a', 'd', 'b']);
  });
  it('what a recipe reads through the reader orders the parts; null removes an option', async () => {
    const recipes = {
      initialize: (part: string, o: Readonly<Record<string, string>>, b: SectionReader) => {
        if (part === 'a') return { seen: b.section('z').recipe ?? '', drop: null };
        return undefined;
      },
    };
    const b = await load('[buildout]\nparts = a z\n[a]\nrecipe = r\ndrop = 1\nkeep = ${:drop}\n[z]\nrecipe = r\n', { recipes });
    expect(b.installList()).toEqual(['z', 'a']);
    expect(b.section('a')).toEqual({ recipe: 'r', keep: '1', seen: 'r' });
  });
  it('a recipe that needs asynchronous work throws PendingWork; loading settles it', async () => {
    const done = new Set<string>();
    const recipes = {
      initialize: (part: string) => {
        if (!done.has(part)) throw new PendingWork(part, async () => void done.add(part));
        return { location: `/p/${part}` };
      },
    };
    const b = await load('[buildout]\nparts = a\nx = ${a:location}\n[a]\nrecipe = r\n', { recipes });
    expect(b.buildout.x).toBe('/p/a');
    expect(await settle(() => b.installList())).toEqual(['a']);
  });
  it('setOption changes a materialised section for every later read', async () => {
    const b = await load('[buildout]\nparts =\ndevelop = a\n[s]\nx = ${buildout:develop}\n');
    b.setOption('buildout', 'develop', 'a\nb');
    expect(b.buildout.develop).toBe('a\nb');
    expect(b.section('s').x).toBe('a\nb');
  });
  it('addSection adds a section that later references see (an extension\'s buildout[name] = {...})', async () => {
    const b = await load('[buildout]\nparts =\n[s]\nx = ${env:HOME}\n');
    b.addSection('env', { HOME: '/home/me', ref: '${buildout:parts}-x' });
    expect(b.section('s').x).toBe('/home/me');
    expect(b.section('env').ref).toBe('-x');
    expect(() => b.addSection('s', {})).toThrow('Section already exists: s');
  });
  it('parts must exist, and each part needs a recipe', async () => {
    expect((await failure('[buildout]\n', (b) => b.installList())).message).toBe('Missing option: buildout:parts');
    expect((await failure('[buildout]\npart = a\n', (b) => b.installList())).hint).toBe("Did you mean the option 'part'?");
    expect((await failure('[buildout]\nparts = p\n[p]\nx = 1\n', (b) => b.installList())).message).toBe('Missing option: p:recipe');
    const e = await failure('[buildout]\nparts = nope\n', (b) => b.installList());
    expect(e.code).toBe('MissingSection');
  });
});

describe('provenance', () => {
  it('annotated() keeps raw values and every step; locate() gives file:line', async () => {
    const b = await load({ 'buildout.cfg': '[buildout]\nextends = base.cfg\nparts =\n[s]\neggs += B\n', 'base.cfg': '[s]\neggs =\n  A\nref = ${buildout:directory}\n' });
    const ann = b.annotated('s')!;
    expect(ann.ref!.value).toBe('${buildout:directory}');
    expect(ann.eggs!.value).toBe('A\nB');
    expect(ann.eggs!.history.map((h) => `${h.op} ${h.loc.file.split('/').pop()}:${h.loc.line}`)).toEqual(['= base.cfg:2', '+= buildout.cfg:5']);
    expect(b.locate('s', 'ref')).toEqual({ file: expect.stringMatching(/base\.cfg$/), line: 4 });
    expect(b.locate('buildout', 'newest')).toEqual({ file: 'DEFAULT_VALUE' });
    expect(b.annotated('buildout')!.directory!.history[0]!.loc.file).toBe('COMPUTED_VALUE');
  });
});

describe('conditional sections (spec §2), with the real evaluator', () => {
  it('applies true headers like [name] and drops false ones', async () => {
    const b = await load('[buildout]\nparts = a b\n[buildout:python2]\nparts -= b\n[buildout:python3]\nparts -= a\n[s:sys.platform == "nosuch"]\nx = 1\n[t:python_version >= "3.0"]\ny = 2\n');
    expect(b.buildout.parts).toBe('a b'); // -= matches whole lines only
    expect(b.hasSection('s')).toBe(false);
    expect(b.section('t')).toEqual({ y: '2' });
  });
  it('merges into the same-named section of the same file', async () => {
    const b = await load('[buildout]\nparts =\n  a\n  b\n[buildout:python3]\nparts -=\n  b\n');
    expect(b.buildout.parts).toBe('a');
  });
  it('spawns nothing when a file has no conditional headers (a bogus executable is never used)', async () => {
    const b = await load('[buildout]\nparts =\n', { assignments: [{ ...EXE, value: '/nonexistent/python' }] });
    expect(b.buildout.executable).toBe('/nonexistent/python');
  });
  it('an empty condition is a clear error', async () => {
    const e = await failure('[buildout]\nparts =\n[x: ]\n');
    expect(e.code).toBe('ParsingError');
    expect(e.loc?.line).toBe(3);
  });
});

describe('install list errors point at buildout:parts', () => {
  it('a part without a section', async () => {
    const e = await failure('[buildout]\nparts =\n  instance\n  instanse2\n[instance]\nrecipe = r\n', (b) => b.installList());
    expect(e.message).toBe("The part 'instanse2' has no section: there is no [instanse2] in the configuration.");
    expect(e.hint).toBe("Did you mean the section 'instance'?");
    expect(e.loc?.line).toBe(2);
    expect(e.option).toBe('parts');
  });
});

describe('pipeline fuzzing', () => {
  it('random configs resolve or fail with a BuildoutError, never anything else', async () => {
    const fc = (await import('fast-check')).default;
    const root = tree({});
    const { writeFileSync } = await import('node:fs');
    const name = fc.constantFrom('a', 'b', 'c', 'buildout');
    const opt = fc.constantFrom('x', 'y', 'recipe', 'parts', '<', 'newest', '<part-dependencies>');
    const value = fc.oneof(
      fc.constantFrom('1', '', 'r', 'a b', 'true', '$$', '${a:x}', '${:y}', '${b:x}${c:y}', '$${a:x}', '${nope:x}', '${a:nope}', '${a}', '${a:b:c}', '${:_buildout_section_name_}'),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.tuple(opt, fc.constantFrom(' = ', ' += ', ' -= '), value).map(([o, op, v]) => `${o}${op}${v.replace(/\n/g, ' ')}`);
    const section = fc.tuple(name, fc.array(line, { maxLength: 4 })).map(([n, ls]) => [`[${n}]`, ...ls].join('\n'));
    await fc.assert(
      fc.asyncProperty(fc.array(section, { maxLength: 5 }), async (secs) => {
        writeFileSync(join(root, 'buildout.cfg'), secs.join('\n') + '\n');
        try {
          const b = await loadBuildout({ cwd: root, userDefaults: false, assignments: [EXE] });
          for (const s of b.sectionNames()) b.section(s);
          b.installList();
        } catch (e) {
          if (!isBuildoutError(e)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
