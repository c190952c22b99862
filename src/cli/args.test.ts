import { describe, expect, it } from 'vitest';
import { parseArgs, parseAssignment } from './args.js';
import { isBuildoutError } from '../errors.js';

function err(argv: string[]) {
  try {
    parseArgs(argv);
  } catch (e) {
    if (isBuildoutError(e)) return e;
    throw e;
  }
  throw new Error('no error');
}
const asg = (argv: string[]) => parseArgs(argv).assignments.map((a) => `${a.section}:${a.option}${a.op}${a.value}`);

describe('command-line grammar (spec §8)', () => {
  it('defaults: no command means install', () => {
    const p = parseArgs([]);
    expect(p.command).toBeUndefined();
    expect(p).toMatchObject({ args: [], userDefaults: true, verbosity: 0, debug: false });
  });
  it('bundled flags become assignments; -v/-q add verbosity', () => {
    expect(asg(['-vvN', '-o'])).toEqual(['buildout:newest=false', 'buildout:offline=true', 'buildout:verbosity=20']);
    expect(parseArgs(['-qqq']).verbosity).toBe(-30);
    expect(parseArgs(['-UD'])).toMatchObject({ userDefaults: false, debug: true });
    expect(asg(['-nO'])).toEqual(['buildout:newest=true', 'buildout:offline=false']);
  });
  it('-c FILE, -cFILE and -vc FILE', () => {
    expect(parseArgs(['-c', 'x.cfg']).configFile).toBe('x.cfg');
    expect(parseArgs(['-cx.cfg']).configFile).toBe('x.cfg');
    expect(parseArgs(['-vc', 'y.cfg'])).toMatchObject({ configFile: 'y.cfg', verbosity: 10 });
    expect(err(['-c']).message).toContain('No file name specified');
  });
  it('-t must be an integer', () => {
    expect(asg(['-t', '5'])).toEqual(['buildout:socket-timeout=5']);
    expect(err(['-t', 'soon']).message).toBe('Timeout value must be numeric: -t soon');
    expect(err(['-t']).message).toContain('No timeout value');
  });
  it('options and assignments interleave before the command; the rest belongs to the command', () => {
    const p = parseArgs(['a=1', '-N', 'sec:b = 2 ', '-c', 'f.cfg', 'annotate', '--json', '-v', 'x=y']);
    expect(p.command).toBe('annotate');
    expect(p.args).toEqual(['--json', '-v', 'x=y']);
    expect(p.configFile).toBe('f.cfg');
    expect(asg(['a=1', '-N', 'sec:b = 2 '])).toEqual(['buildout:a=1', 'buildout:newest=false', 'sec:b=2']);
  });
  it('assignments: split at the first =, trimmed, +=/-=, section defaults to buildout', () => {
    expect(parseAssignment('s:o=a=b')).toEqual({ section: 's', option: 'o', op: '=', value: 'a=b' });
    expect(parseAssignment(' eggs += x ')).toEqual({ section: 'buildout', option: 'eggs', op: '+=', value: 'x' });
    expect(parseAssignment('s:parts-=a')).toEqual({ section: 's', option: 'parts', op: '-=', value: 'a' });
    expect(() => parseAssignment('a:b:c=1')).toThrow('Invalid option: a:b:c=1');
  });
  it('unknown flags are clear errors with a hint to --help', () => {
    const e = err(['-x']);
    expect(e.message).toBe("Invalid option '-x'");
    expect(e.hint).toContain('--help');
    expect(err(['--frobnicate']).message).toBe("Invalid option '--frobnicate'");
  });
  it('--help, -h and --version', () => {
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['-vh']).help).toBe(true);
    expect(parseArgs(['--version']).version).toBe(true);
    // zc.buildout's W and A flags fall through to its help, as h does
    expect(parseArgs(['-W']).help).toBe(true);
    expect(parseArgs(['-NA']).help).toBe(true);
  });
});
