import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import recipe from './index.js';
import hooks from './hooks.js';
import { testdir } from '../../../test/helpers/testdir.js';
import { recipeContext } from '../../../test/fixtures/python/context.js';
import { isBuildoutError } from '../../errors.js';

const ctxFor = (root: string, part: Record<string, string>) => recipeContext(recipe, 'cmd', { buildout: { directory: root }, cmd: part });

describe('plone.recipe.command', () => {
  it('runs the command with /bin/sh in the buildout directory, streams its output, records location', async () => {
    const root = testdir();
    const ctx = ctxFor(root, { command: 'mkdir -p var/data && pwd > var/data/where && echo "made it"', location: 'var/data' });
    const paths = await recipe.install(ctx);
    expect(readFileSync(join(root, 'var/data/where'), 'utf8').trim()).toBe(root);
    expect(paths).toEqual([join(root, 'var/data')]);
    expect(ctx.createdPaths).toEqual(paths);
    expect(ctx.logLines).toContain('made it');
  });

  it('a failing command is only a warning unless stop-on-error is set, then an error with the exit code', async () => {
    const root = testdir();
    const lenient = ctxFor(root, { command: 'exit 4' });
    await recipe.install(lenient);
    expect(lenient.logLines.join('\n')).toContain('exited with code 4');

    try {
      await recipe.install(ctxFor(root, { command: 'echo partial; exit 3', 'stop-on-error': 'true' }));
      throw new Error('expected an error');
    } catch (e) {
      if (!isBuildoutError(e)) throw e;
      expect(e.message).toBe('Non zero exit code: the command of [cmd] exited with code 3.');
      expect(e.section).toBe('cmd');
    }
  });

  it('update runs update-command (and nothing without one); hooks ask for updates only then', async () => {
    const root = testdir();
    await recipe.update!(ctxFor(root, { command: 'touch installed' }));
    expect(existsSync(join(root, 'installed'))).toBe(false);
    await recipe.update!(ctxFor(root, { command: 'true', 'update-command': 'echo again >> updates' }));
    await recipe.update!(ctxFor(root, { command: 'true', 'update-command': 'echo again >> updates' }));
    expect(readFileSync(join(root, 'updates'), 'utf8')).toBe('again\nagain\n');
    const always = hooks.alwaysUpdate as (o: Record<string, string>) => boolean;
    expect(always({ command: 'x' })).toBe(false);
    expect(always({ command: 'x', 'update-command': 'y' })).toBe(true);
  });

  it('a missing command and a bad boolean are option errors', () => {
    expect(() => ctxFor('/tmp', {})).toThrow('[cmd] command: No command specified');
    expect(() => ctxFor('/tmp', { command: 'x', 'stop-on-error': 'maybe' })).toThrow("[cmd] stop-on-error: expected true or false (also yes/no, on/off, 1/0), got 'maybe'");
  });
});
