// The start-up parser of a command's words (command-args.ts) against commander, which
// renders the help from the same table: both must accept the same words with the same
// result, and reject the same ones.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CommanderError, type Command } from 'commander';
import { parseCommandArgs } from './command-args.js';
import { COMMAND_TABLE, findCommand } from './command-table.js';
import { buildProgram, renderHelp } from './help.js';
import { isBuildoutError } from '../errors.js';

type Outcome = { ok: true; help: boolean; flags: Record<string, boolean | string>; args: string[] } | { ok: false };

function ours(name: string, words: string[]): Outcome {
  try {
    const r = parseCommandArgs(findCommand(name)!, words);
    return { ok: true, help: r.help, flags: r.help ? {} : { ...r.flags }, args: r.help ? [] : r.args };
  } catch (e) {
    if (isBuildoutError(e)) return { ok: false };
    throw e;
  }
}

function commanders(name: string, words: string[]): Outcome {
  const program = buildProgram();
  let parsed: Command | undefined;
  const quiet = (c: Command) => c.exitOverride().configureOutput({ writeOut: () => {}, writeErr: () => {} });
  quiet(program);
  for (const c of program.commands) {
    quiet(c).action((...a: unknown[]) => {
      parsed = a[a.length - 1] as Command;
    });
  }
  try {
    program.parse([name, ...words], { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError && e.code === 'commander.helpDisplayed') return { ok: true, help: true, flags: {}, args: [] };
    if (e instanceof CommanderError) return { ok: false };
    throw e;
  }
  const opts = parsed!.opts() as Record<string, boolean | string>;
  const flags: Record<string, boolean | string> = {};
  for (const o of findCommand(name)!.options) if (opts[camel(o.key)] !== undefined) flags[o.key] = opts[camel(o.key)]!;
  return { ok: true, help: false, flags, args: parsed!.args };
}

const camel = (k: string) => k.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase());

describe('command words: the table parser agrees with commander', () => {
  const commands = COMMAND_TABLE.filter((c) => c.name !== 'help').map((c) => c.name);
  it.each([
    ['annotate', ['--json']],
    ['annotate', ['--json', 'buildout', 'versions']],
    ['annotate', ['--interpolated', 'x', '--json']],
    ['annotate', ['--jsn']],
    ['annotate', ['-v']],
    ['annotate', ['--help']],
    ['annotate', ['x', '-h']],
    ['install', []],
    ['install', ['a', 'b', '--json']],
    ['install', ['--', '--json']],
    ['install', ['--plan', '-y']],
    ['install', ['--plan', '--yes', 'a']],
    ['install', ['-yy']],
    ['plan', ['--json', 'a']],
    ['query', ['buildout:parts']],
    ['query', ['--raw', 'parts']],
    ['query', []],
    ['query', ['a', 'b']],
    ['check', []],
    ['check', ['--json']],
    ['check', ['extra']],
    ['lock', []],
    ['lock', ['--check', '--upgrade']],
    ['lock', ['x']],
    ['init', []],
    ['init', ['waitress', 'src/x']],
    ['init', ['--server', 'bjoern', '--zeo', '--plone']],
    ['init', ['--server=cheroot', '--http-address', '127.0.0.1:9000']],
    ['init', ['--server', 'nginx']],
    ['init', ['--server']],
    ['init', ['--server', '--zeo']],
    ['init', ['--http-address', '--zeo']],
    ['init', ['--server', 'waitress', '--server', 'gunicorn']],
    ['init', ['--force=yes']],
  ])('%s %j', (name, words) => {
    expect(ours(name, words)).toEqual(commanders(name, words));
  });

  it('on generated words', () => {
    const word = fc.oneof(
      fc.constantFrom('--json', '--raw', '--interpolated', '--plan', '--yes', '-y', '--help', '-h', '--', '-x', '--nope', 'a', 'b:c', 'buildout', '--check', '--server', '--server=bjoern', 'waitress', '--zeo', '--http-address'),
      fc.stringMatching(/^[a-z:]{1,5}$/),
    );
    fc.assert(
      fc.property(fc.constantFrom(...commands), fc.array(word, { maxLength: 5 }), (name, words) => {
        // commander's one quirk: after an unknown option it still finds -h behind `--`
        const end = words.indexOf('--');
        fc.pre(end < 0 || !words.slice(end).some((w) => w === '-h' || w === '--help'));
        expect(ours(name, words)).toEqual(commanders(name, words));
      }),
      { numRuns: 400 },
    );
  });
});

describe('help', () => {
  it('every command has a help naming its options and arguments', () => {
    for (const spec of COMMAND_TABLE.filter((c) => c.name !== 'help')) {
      const text = renderHelp(spec.name);
      expect(text).toContain(`Usage: buildout ${spec.name}`);
      for (const o of spec.options) expect(text).toContain(o.flag);
      if (spec.argument) expect(text).toContain(spec.argument.name);
    }
  });
  it('the program help lists every command and the global options', () => {
    const text = renderHelp();
    for (const spec of COMMAND_TABLE) expect(text).toContain(`  ${spec.name} `);
    for (const flag of ['-c <file>', '-v', '-U', '-N', '-t <secs>', '-D', 'section:option=value']) expect(text).toContain(flag);
  });
});
