// Safe updates through the real CLI: a changed or removed part's previous installation is
// set aside, not deleted, and comes back when the new one fails; a run killed with SIGKILL
// at any moment (while a recipe uninstalls or installs, between the steps of the swap) is
// repaired by the next run: a consistent .installed.cfg and every file of every part.
import { describe, expect, it, onTestFinished } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUILDOUT_BIN, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { stateFromText } from '../../src/state/installed.js';

const STACK = /\.js:\d+:\d+|node:internal/;

// Writes parts/<part>/app.conf and bin/<part> from `greeting`; `fail = true` fails after
// writing the config (as a template with a duplicate key would); WRITER_SLEEP=<part> makes
// install wait, WRITER_SLEEP_UNINSTALL=<part> makes the uninstall hook wait.
const WRITER = `
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
export default {
  name: 'writer',
  async install(ctx) {
    const d = ctx.buildout.options.directory;
    const location = join(d, 'parts', ctx.part);
    const script = join(d, 'bin', ctx.raw.script ?? ctx.part);
    mkdirSync(location, { recursive: true });
    ctx.created(location);
    writeFileSync(join(location, 'app.conf'), 'greeting = ' + ctx.raw.greeting + '\\n');
    if (process.env.WRITER_SLEEP === ctx.part) {
      writeFileSync(join(d, 'installing-' + ctx.part), '');
      await sleep(60000);
    }
    if (ctx.raw.fail === 'true') throw new Error('duplicate key "port" in the template');
    writeFileSync(script, '#!/bin/sh\\necho ' + ctx.raw.greeting + '\\n', { mode: 0o755 });
    ctx.created(script);
    return [location, script];
  },
  async uninstall(ctx) {
    const d = ctx.buildout.options.directory;
    writeFileSync(join(d, 'uninstalled-' + ctx.part), ctx.raw.greeting);
    if (process.env.WRITER_SLEEP_UNINSTALL === ctx.part) {
      writeFileSync(join(d, 'uninstalling-' + ctx.part), '');
      await sleep(60000);
    }
  },
};
`;

function cfg(parts: Record<string, Record<string, string>>, order = Object.keys(parts)): string {
  const lines = ['[buildout]', 'executable = /usr/bin/python3', `parts = ${order.join(' ')}`, ''];
  for (const [name, options] of Object.entries(parts)) {
    lines.push(`[${name}]`, 'recipe = ./recipes/writer.mjs', ...Object.entries(options).map(([k, v]) => `${k} = ${v}`), '');
  }
  return lines.join('\n');
}

function project(parts: Record<string, Record<string, string>>): string {
  const root = testdir({ 'buildout.cfg': cfg(parts), 'recipes/writer.mjs': WRITER });
  const r = runCli([], { cwd: root });
  expect(r.stderr).not.toMatch(STACK);
  expect(r.exitCode).toBe(0);
  return root;
}

const read = (root: string, rel: string) => readFileSync(join(root, rel), 'utf8');

/** Every part recorded in .installed.cfg has all its files; nothing is left aside. */
function expectConsistent(root: string): string[] {
  const state = stateFromText(read(root, '.installed.cfg'), join(root, '.installed.cfg'), root);
  for (const [name, part] of state.parts) {
    for (const f of part.files) expect(existsSync(f), `${name}: ${f}`).toBe(true);
  }
  expect(existsSync(join(root, '.buildout/journal.json'))).toBe(false);
  expect(existsSync(join(root, '.buildout/aside')) ? readdirSync(join(root, '.buildout/aside')) : []).toEqual([]);
  return state.order;
}

/** Right after a kill: each file of the previous installation is in place or set aside and listed in the journal. */
function expectRecoverable(root: string, before: string): void {
  const old = stateFromText(before, join(root, '.installed.cfg'), root);
  const journal = existsSync(join(root, '.buildout/journal.json')) ? (JSON.parse(read(root, '.buildout/journal.json')) as { open: { moved: { from: string; to: string }[] }[] }) : { open: [] };
  const aside = journal.open.flatMap((t) => t.moved).filter((m) => existsSync(m.to));
  for (const [name, part] of old.parts) {
    for (const f of part.files) expect(existsSync(f) || aside.some((m) => f === m.from || f.startsWith(m.from + '/')), `${name}: ${f}`).toBe(true);
  }
}

function startCli(root: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [BUILDOUT_BIN], { cwd: root, env: { ...process.env, BUILDOUT_HOME: join(root, '.no-user-defaults'), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: string | null }>((r) => child.on('close', (code, signal) => r({ code, signal })));
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return { child, done, stderr: () => stderr };
}

async function waitUntil(cond: () => boolean, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts a run that stops at `point` (or in a sleeping recipe), kills it with SIGKILL there. */
async function killAt(root: string, env: Record<string, string>, reached: (stderr: string) => boolean): Promise<void> {
  const run = startCli(root, env);
  await waitUntil(() => reached(run.stderr()) || run.child.exitCode !== null, 'the moment to kill');
  expect(run.child.exitCode, run.stderr()).toBe(null);
  run.child.kill('SIGKILL');
  expect((await run.done).signal).toBe('SIGKILL');
}

describe('safe updates', () => {
  it('a changed part whose recipe fails keeps its previous files and .installed.cfg, and says so', () => {
    const root = project({ web: { greeting: 'hello' }, other: { greeting: 'x' } });
    const before = read(root, '.installed.cfg');
    writeFileSync(join(root, 'buildout.cfg'), cfg({ web: { greeting: 'bonjour', fail: 'true' }, other: { greeting: 'x' } }));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).not.toMatch(STACK);
    expect(r.stderr).toContain('Error: web: duplicate key "port" in the template');
    expect(r.stderr).toContain('The previous installation of part web was kept: its files are back in place and .installed.cfg still records it.');
    expect(r.stderr).toContain('While:\n  Installing web.');
    expect(read(root, 'bin/web')).toBe('#!/bin/sh\necho hello\n');
    expect(read(root, 'parts/web/app.conf')).toBe('greeting = hello\n'); // not the half-written new one
    expect(read(root, '.installed.cfg')).toBe(before);
    expect(read(root, 'uninstalled-web')).toBe('hello'); // the uninstall hook ran, as in zc.buildout
    expectConsistent(root);

    // fixed: the new installation replaces the old one, and nothing is left aside
    writeFileSync(join(root, 'buildout.cfg'), cfg({ web: { greeting: 'bonjour' }, other: { greeting: 'x' } }));
    const fixed = runCli([], { cwd: root });
    expect(fixed.exitCode).toBe(0);
    expect(fixed.stderr).toMatch(/^web: installed in .* \(options changed: greeting\)$/m);
    expect(read(root, 'bin/web')).toBe('#!/bin/sh\necho bonjour\n');
    expectConsistent(root);
    expect(runCli([], { cwd: root }).stderr).toBe('web: unchanged\nother: unchanged\n');
  });

  it('a part removed from the configuration is kept when a later part fails, and removed by the next successful run', () => {
    const root = project({ old: { greeting: 'old' }, web: { greeting: 'hello' } });
    const before = read(root, '.installed.cfg');
    writeFileSync(join(root, 'buildout.cfg'), cfg({ web: { greeting: 'hello' }, fresh: { greeting: 'new', fail: 'true' } }));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^old: uninstalled in .* \(not in the configuration any more\)$/m);
    expect(r.stderr).toContain('Warning: The part old, removed from the configuration, was kept because the run failed: it is removed by the next successful run.');
    expect(r.stderr).toContain('Error: fresh: duplicate key');
    expect(read(root, 'bin/old')).toBe('#!/bin/sh\necho old\n');
    expect(existsSync(join(root, 'parts/fresh'))).toBe(false); // the new part's own files are rolled back
    expect(read(root, '.installed.cfg')).toBe(before);
    expectConsistent(root);

    writeFileSync(join(root, 'buildout.cfg'), cfg({ web: { greeting: 'hello' }, fresh: { greeting: 'new' } }));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(existsSync(join(root, 'bin/old'))).toBe(false);
    expect(existsSync(join(root, 'parts/old'))).toBe(false);
    expect(expectConsistent(root)).toEqual(['web', 'fresh']);
  });

  it('a script that moves from a removed part to a new one is the new part\'s, whatever happens later', () => {
    const root = project({ old: { greeting: 'old', script: 'app' } });
    writeFileSync(join(root, 'buildout.cfg'), cfg({ neu: { greeting: 'new', script: 'app' }, later: { greeting: 'x', fail: 'true' } }));
    expect(runCli([], { cwd: root }).exitCode).toBe(1);
    // `neu` succeeded and owns bin/app now; `old` comes back without it
    expect(read(root, 'bin/app')).toBe('#!/bin/sh\necho new\n');
    const state = stateFromText(read(root, '.installed.cfg'), join(root, '.installed.cfg'), root);
    expect(state.order).toEqual(['old', 'neu']);
    expect(read(root, 'parts/old/app.conf')).toBe('greeting = old\n');

    writeFileSync(join(root, 'buildout.cfg'), cfg({ neu: { greeting: 'new', script: 'app' }, later: { greeting: 'x' } }));
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(read(root, 'bin/app')).toBe('#!/bin/sh\necho new\n'); // removing `old` did not take it
    expect(expectConsistent(root)).toEqual(['neu', 'later']);
  });

  it('a failing update leaves the part as it was and tries again next time', () => {
    const root = testdir({
      'buildout.cfg': ['[buildout]', 'executable = /usr/bin/python3', 'parts = cmd', '', '[cmd]', 'recipe = plone.recipe.command', 'command = echo made > made.txt', 'update-command = sh update.sh', 'stop-on-error = true', 'location = made.txt', ''].join('\n'),
      'update.sh': 'exit 0\n',
    });
    expect(runCli([], { cwd: root }).exitCode).toBe(0);
    expect(runCli(['-q'], { cwd: root }).exitCode).toBe(0);
    const before = read(root, '.installed.cfg');
    writeFileSync(join(root, 'update.sh'), 'echo broken >&2\nexit 3\n');
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('The part cmd was left as its update found it, and its record in .installed.cfg is unchanged');
    expect(read(root, 'made.txt')).toBe('made\n');
    expect(read(root, '.installed.cfg')).toBe(before);
    writeFileSync(join(root, 'update.sh'), 'echo again > again.txt\n');
    expect(runCli([], { cwd: root }).stderr).toMatch(/^cmd: updated in/m);
    expect(read(root, 'again.txt')).toBe('again\n');
  });
});

describe('SIGKILL at any moment is repaired by the next run', () => {
  const OLD = { web: { greeting: 'hello' }, gone: { greeting: 'bye' }, tail: { greeting: 't' } };
  const NEW = { web: { greeting: 'bonjour' }, tail: { greeting: 't' } };
  const file = (root: string, name: string) => () => existsSync(join(root, name));
  const paused = (point: string) => ({ env: { BUILDOUT_TS_TEST_PAUSE: point }, reached: () => (stderr: string) => stderr.includes(`paused at ${point}`) });
  const moments: [string, { env: Record<string, string>; reached: (root: string) => (stderr: string) => boolean }][] = [
    ['while the uninstall hook of a removed part runs', { env: { WRITER_SLEEP_UNINSTALL: 'gone' }, reached: (root) => file(root, 'uninstalling-gone') }],
    ['once the removed parts are set aside', paused('removals-aside')],
    ['while the uninstall hook of a changed part runs', { env: { WRITER_SLEEP_UNINSTALL: 'web' }, reached: (root) => file(root, 'uninstalling-web') }],
    ['once the changed part is set aside', paused('aside:web')],
    ['while the changed part installs', { env: { WRITER_SLEEP: 'web' }, reached: (root) => file(root, 'installing-web') }],
    ['after its recipe finished, before it is recorded', paused('installed:web')],
    ['after it is recorded, before the old copy is deleted', paused('recorded:web')],
  ];

  for (const [moment, how] of moments) {
    it(moment, async () => {
      const root = project(OLD);
      const before = read(root, '.installed.cfg');
      writeFileSync(join(root, 'buildout.cfg'), cfg(NEW));
      await killAt(root, how.env, how.reached(root));
      expectRecoverable(root, before);

      // the next run repairs, then does the work: every part complete, nothing aside
      const next = runCli([], { cwd: root });
      expect(next.stderr).not.toMatch(STACK);
      expect(next.exitCode).toBe(0);
      expect(next.stderr).toContain('Removed a stale lock');
      expect(expectConsistent(root)).toEqual(['web', 'tail']);
      expect(read(root, 'bin/web')).toBe('#!/bin/sh\necho bonjour\n');
      expect(read(root, 'bin/tail')).toBe('#!/bin/sh\necho t\n');
      expect(existsSync(join(root, 'bin/gone'))).toBe(false);
      expect(runCli([], { cwd: root }).stderr).toBe('web: unchanged\ntail: unchanged\n');
    });
  }

  it('the repair alone gives back the previous installation (the same configuration as before the killed run)', async () => {
    const root = project(OLD);
    const before = read(root, '.installed.cfg');
    writeFileSync(join(root, 'buildout.cfg'), cfg(NEW));
    await killAt(root, { WRITER_SLEEP: 'web' }, () => existsSync(join(root, 'installing-web')));
    expect(existsSync(join(root, '.buildout/journal.json'))).toBe(true);
    // back to the old configuration: the repaired state is exactly the old one, nothing to do
    writeFileSync(join(root, 'buildout.cfg'), cfg(OLD));
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(0);
    expect(r.stderr).toContain('Warning: Restored the previous installation of part web, set aside by an interrupted run');
    expect(r.stderr).toContain('Warning: Restored the previous installation of part gone, set aside by an interrupted run');
    expect(r.stderr).toMatch(/web: unchanged\ngone: unchanged\ntail: unchanged\n$/);
    expect(read(root, '.installed.cfg')).toBe(before);
    expect(read(root, 'bin/web')).toBe('#!/bin/sh\necho hello\n');
    expect(read(root, 'parts/web/app.conf')).toBe('greeting = hello\n');
    expectConsistent(root);
  });

  it('Ctrl-C while a changed part installs puts its previous installation back at once', async () => {
    const root = project(OLD);
    const before = read(root, '.installed.cfg');
    writeFileSync(join(root, 'buildout.cfg'), cfg(NEW));
    const run = startCli(root, { WRITER_SLEEP: 'web' });
    await waitUntil(() => existsSync(join(root, 'installing-web')), 'install');
    run.child.kill('SIGINT');
    expect((await run.done).code).toBe(130);
    expect(run.stderr()).toContain('The previous installation of part web was kept');
    expect(run.stderr()).toContain('The part gone, removed from the configuration, was kept');
    expect(read(root, '.installed.cfg')).toBe(before);
    expect(read(root, 'bin/web')).toBe('#!/bin/sh\necho hello\n');
    expect(read(root, 'bin/gone')).toBe('#!/bin/sh\necho bye\n');
    expectConsistent(root);
  });
});
