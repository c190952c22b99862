// The extension through its contract (ExtensionContext), on a real configuration and a
// real git repository: what it checks out and writes, and the options it sets for
// everything after it. The buildout runs themselves are in test/e2e/mr-developer*.
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadBuildout } from '../../config/resolve.js';
import { createLogger } from '../../log.js';
import { testdir } from '../../../test/helpers/testdir.js';
import { git, gitRepo, pythonProject, writeFiles } from '../../../test/helpers/vcs.js';
import extension from './index.js';
import type { ExtensionContext } from '../types.js';

async function context(root: string, command: ExtensionContext['command']): Promise<{ ctx: ExtensionContext; set: Map<string, string>; lines: string[] }> {
  const b = await loadBuildout({ cwd: root, userDefaults: false, assignments: [{ section: 'buildout', option: 'executable', op: '=', value: 'python3' }] });
  const set = new Map<string, string>();
  const lines: string[] = [];
  const ctx: ExtensionContext = {
    directory: root,
    buildout: { options: b.buildout, section: (n) => b.section(n), hasSection: (n) => b.hasSection(n), sectionNames: () => b.sectionNames() },
    setOption: (section, option, value) => void set.set(`${section}:${option}`, value),
    offline: false,
    newest: true,
    verbosity: 0,
    log: createLogger({ write: (l) => lines.push(l) }),
    command,
  };
  return { ctx, set, lines };
}

describe('the mr.developer extension', () => {
  it('install: checks out, sets develop, sources-dir and clears the pins, writes bin/develop and .mr.developer.cfg', async () => {
    const root = testdir();
    const url = gitRepo(join(root, 'repos/pkg.one'), pythonProject('pkg.one'));
    writeFiles(root, {
      'buildout.cfg': `[buildout]\nextensions = mr.developer\nparts =\ndevelop = local\nauto-checkout = pkg.one\n[sources]\npkg.one = git ${url}\nother = git ${url}\n[versions]\npkg.one = 0.1\n`,
      'local/setup.py': '',
    });
    const { ctx, set, lines } = await context(root, 'install');
    expect(extension.name).toBe('mr.developer');
    await extension.load(ctx);
    expect(lines).toContain(`mr.developer: Cloned 'pkg.one' with git from '${url}'.`);
    expect(git(join(root, 'src/pkg.one'), 'log', '--format=%s')).toBe('initial');
    expect(Object.fromEntries(set)).toEqual({ 'buildout:develop': 'local\nsrc/pkg.one', 'buildout:sources-dir': join(root, 'src'), 'versions:pkg.one': '' });
    expect(statSync(join(root, 'bin/develop')).mode & 0o777).toBe(0o755);
    expect(readFileSync(join(root, '.mr.developer.cfg'), 'utf8')).toContain('[develop]\npkg.one = auto\n');
  });

  it('another command: the develop list of the existing checkouts, and nothing checked out or written', async () => {
    const root = testdir();
    const url = gitRepo(join(root, 'repos/pkg'), pythonProject('pkg'));
    writeFiles(root, { 'buildout.cfg': `[buildout]\nextensions = mr.developer\nparts =\nsources-dir = checkouts\nauto-checkout = *\n[sources]\npkg = git ${url}\n` });
    const { ctx, set } = await context(root, 'annotate');
    await extension.load(ctx);
    expect(Object.fromEntries(set)).toEqual({ 'buildout:develop': '', 'buildout:sources-dir': join(root, 'checkouts') });
    for (const p of ['checkouts', 'bin/develop', '.mr.developer.cfg']) expect(existsSync(join(root, p)), p).toBe(false);
  });
});
