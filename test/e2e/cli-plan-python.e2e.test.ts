// `buildout plan` with a Python recipe (made on the spot, run by the real zc.buildout in our
// host on install): the plan starts no process, names the changed option and says that the
// recipe's constructor and the recipe would run; an unchanged part stays unchanged.
import { describe, expect, it } from 'vitest';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { makeWheel } from '../fixtures/python/wheels.js';

const TRACE = join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs');

const RECIPE = `
import os

class Greeting:
    def __init__(self, buildout, name, options):
        self.options = options
        options.setdefault('location', os.path.join(buildout['buildout']['parts-directory'], name))
        options['greeting'] = 'hello %s' % options.get('who', 'world')

    def install(self):
        os.makedirs(self.options['location'])
        with open(os.path.join(self.options['location'], 'greeting.txt'), 'w') as f:
            f.write(self.options['greeting'] + '\\n')
        return [self.options['location']]

    update = install
`;

function cfg(who: string): string {
  return `[buildout]\nfind-links = \${buildout:directory}/links\nparts = hello other\n\n[hello]\nrecipe = plan.demo\nwho = ${who}\n\n[other]\nrecipe = plan.demo\nwho = stays\n`;
}

describe('buildout plan with a Python recipe', () => {
  it('says the recipe would run again, from what the configuration changed, without starting anything', { timeout: 300_000 }, () => {
    const root = testdir({});
    makeWheel(join(root, 'links'), { name: 'plan.demo', version: '1.0', module: 'plan_demo', code: RECIPE, requires: ['zc.buildout'], entryPoints: '[zc.buildout]\ndefault = plan_demo:Greeting\n' });
    writeFileSync(join(root, 'buildout.cfg'), cfg('you'));
    const first = runCli([], { cwd: root });
    expect(first.exitCode, first.stderr).toBe(0);

    writeFileSync(join(root, 'buildout.cfg'), cfg('me'));
    const trace = join(root, 'trace.txt');
    const r = runCli(['plan'], { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'hello: reinstall (plan.demo)',
        "    who: 'you' -> 'me'",
        "    would run the recipe's constructor again, then the recipe (the options it computes and the files it writes are known only then)",
        'unchanged: other',
        'Plan: 0 to install, 1 to reinstall, 0 to update, 0 to uninstall, 1 unchanged.',
        '',
      ].join('\n'),
    );
    expect(readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:'))).toEqual([]);
    rmSync(trace);

    const done = runCli([], { cwd: root });
    expect(done.exitCode, done.stderr).toBe(0);
    expect(readFileSync(join(root, 'parts/hello/greeting.txt'), 'utf8')).toBe('hello me\n');
    expect(runCli(['plan'], { cwd: root }).stdout).toBe('unchanged: hello, other\nNothing to do.\n');
  });
});
