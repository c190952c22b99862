// zc.recipe.egg through the real CLI: a venv from the python3 on PATH, waitress from PyPI
// (pinned, through the shared download cache), a develop egg with console scripts, scripts
// and an interpreter executed; a no-op re-run starts nothing; option changes rewrite the
// scripts; the environment's errors reach the user as clear messages.
// Slow: creates virtual environments.
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT, runCli } from '../helpers/cli.js';
import { testdir } from '../helpers/testdir.js';
import { writePackage } from '../fixtures/python/wheels.js';

const TRACE = join(PROJECT_ROOT, 'test/fixtures/install/trace-imports.mjs');
const HEAD = ['[buildout]'];
const VERSIONS = ['', '[versions]', 'waitress = 3.0.2'];

const TOOL = `import os, sys
def main(*args):
    print("tool", list(args), sys.argv[1:], os.environ.get("TOOL_MODE"))
def other():
    print("other")
`;

function cfg(parts: string[]): string {
  return [...HEAD, 'develop = src/tool', `parts = ${parts.map((p) => p.split('\n')[0]!.slice(1, -1)).join(' ')}`, '', ...parts, ...VERSIONS].join('\n') + '\n';
}

describe('zc.recipe.egg via the CLI', () => {
  beforeAll(() => {
    if (!existsSync(join(PROJECT_ROOT, 'dist/cli/main.js'))) throw new Error('run `npm run build` first');
  });

  it('installs console scripts and an interpreter, re-runs as a no-op, and follows option changes', () => {
    const tools = ['[tools]', 'recipe = zc.recipe.egg', 'eggs = demo.tool', 'scripts = demo-tool=tool', "arguments = 'fixed'", 'initialization =', '    import os', '    os.environ["TOOL_MODE"] = "init"', 'interpreter = py'].join('\n');
    const eggsOnly = ['[deps]', 'recipe = zc.recipe.egg:eggs', 'eggs =', '    demo.tool', '    # a comment line', '    waitress'].join('\n');
    const root = testdir({ 'buildout.cfg': cfg([tools, eggsOnly]) });
    writePackage(join(root, 'src/tool'), { name: 'demo.tool', version: '0.1', module: 'demo_tool', scripts: { 'demo-tool': 'demo_tool:main', 'demo-other': 'demo_tool:other' }, code: TOOL });

    const first = runCli([], { cwd: root });
    expect(first.stderr).toContain(`Develop: '${join(root, 'src/tool')}'`);
    expect(first.exitCode).toBe(0);
    expect(execFileSync(join(root, 'bin/tool'), ['x'], { encoding: 'utf8' })).toBe("tool ['fixed'] ['x'] init\n");
    expect(existsSync(join(root, 'bin/demo-other'))).toBe(false);
    expect(execFileSync(join(root, 'bin/py'), ['-c', 'import demo_tool, waitress, sys; demo_tool.other(); print(sys.prefix)'], { encoding: 'utf8' })).toBe(`other\n${join(root, '.buildout/venv')}\n`);

    const trace = join(root, 'trace.txt');
    const noop = runCli([], { cwd: root, env: { NODE_OPTIONS: `--import=${TRACE}`, TRACE_FILE: trace } });
    expect(noop.exitCode).toBe(0);
    expect(noop.stderr).toMatch(/^tools: unchanged$/m);
    expect(readFileSync(trace, 'utf8').split('\n').filter((l) => l.startsWith('spawn:'))).toEqual([]);

    // every console script now, and no interpreter: the old files go, the new ones come
    writeFileSync(join(root, 'buildout.cfg'), cfg([['[tools]', 'recipe = zc.recipe.egg', 'eggs = demo.tool'].join('\n'), eggsOnly]));
    const changed = runCli([], { cwd: root });
    expect(changed.exitCode).toBe(0);
    expect(existsSync(join(root, 'bin/tool'))).toBe(false);
    expect(existsSync(join(root, 'bin/py'))).toBe(false);
    expect(execFileSync(join(root, 'bin/demo-other'), { encoding: 'utf8' })).toBe('other\n');
    expect(execFileSync(join(root, 'bin/demo-tool'), { encoding: 'utf8' })).toBe('tool [] [] None\n');
  });

  it('a malformed entry-points line: the part and option, at its line', () => {
    const bad = ['[tools]', 'recipe = zc.recipe.egg', 'eggs = demo.tool', 'entry-points = demo-x=demo_tool'].join('\n');
    const root = testdir({ 'buildout.cfg': cfg([bad]) });
    writePackage(join(root, 'src/tool'), { name: 'demo.tool', version: '0.1', module: 'demo_tool', code: TOOL });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Invalid entry point for script 'demo-x': 'demo_tool' (expected module:attr)");
    expect(r.stderr).toContain(`at ${root}/buildout.cfg:8 [tools] entry-points`);
  });

  it('allow-picked-versions = false: a clear error naming the unpinned requirements, no stack trace', () => {
    const root = testdir({ 'buildout.cfg': [...HEAD, 'allow-picked-versions = false', 'parts = tools', '', '[tools]', 'recipe = zc.recipe.egg', 'eggs =', '    waitress', '    Paste', ''].join('\n') });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('Error: allow-picked-versions is false, but these requirements have no version in [versions]: waitress, Paste');
    expect(r.stderr).not.toMatch(/\n\s+at .*\.js:\d+/);
  });

  it('offline, an egg nobody has: the name, a hint and where the installer log is', () => {
    const root = testdir({ 'buildout.cfg': [...HEAD, 'offline = true', 'parts = tools', '', '[tools]', 'recipe = zc.recipe.egg', 'eggs = buildout-ts-missing-egg', ''].join('\n') });
    const r = runCli([], { cwd: root });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("Error: Couldn't find a distribution for:\n  buildout-ts-missing-egg: no distribution of that name in the download cache or find-links\n");
    // uv when it is in our cache already, else pip (offline, uv cannot be fetched)
    expect(r.stderr).toContain(`The installer's full output (${r.stderr.includes('output (uv)') ? 'uv' : 'pip'}) is in ${join(root, '.buildout/installer/installer.log')}.`);
    expect(r.stderr).toMatch(/Hint: Running offline/);
    expect(existsSync(join(root, 'bin/buildout-ts-missing-egg'))).toBe(false);
  });
});
