import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, statSync, utimesSync, chmodSync } from 'node:fs';
import { join } from 'node:path';
import recipe from './index.js';
import hooks, { DIGEST_OPTION } from './hooks.js';
import { testdir } from '../../../test/helpers/testdir.js';
import { buildoutView, recipeContext } from '../../../test/fixtures/python/context.js';
import { isBuildoutError } from '../../errors.js';

function sections(root: string, part: Record<string, string>) {
  return { buildout: { directory: root, 'bin-directory': join(root, 'bin') }, other: { foo: 'bar', path: '/x/y' }, message: part };
}

describe('collective.recipe.template', () => {
  it('renders an input file: ${section:option}, ${own-option}, $${ escape; keeps the input mode; creates parent folders', async () => {
    const root = testdir({ 'templates/message.in': 'dir=${buildout:directory}\nfoo=${other:foo} mine=${greeting}\nliteral=$${other:foo} pid=$$\n' });
    chmodSync(join(root, 'templates/message.in'), 0o640);
    const ctx = recipeContext(recipe, 'message', sections(root, { input: 'templates/message.in', output: join(root, 'parts/etc/message'), greeting: 'Hello, World!' }));
    const paths = await recipe.install(ctx);
    const out = join(root, 'parts/etc/message');
    expect(readFileSync(out, 'utf8')).toBe(`dir=${root}\nfoo=bar mine=Hello, World!\nliteral=\${other:foo} pid=$$\n`);
    expect(statSync(out).mode & 0o777).toBe(0o640);
    expect(paths).toEqual([join(root, 'parts'), join(root, 'parts/etc'), out]);
    expect(ctx.createdPaths).toEqual(paths);
  });

  it('writes inline text (leading whitespace stripped) with an explicit octal mode', async () => {
    const root = testdir();
    const ctx = recipeContext(recipe, 'message', sections(root, { inline: '\n#!/bin/sh\necho ${other:foo}', output: join(root, 'run.sh'), mode: '755' }));
    await recipe.install(ctx);
    expect(readFileSync(join(root, 'run.sh'), 'utf8')).toBe('#!/bin/sh\necho bar');
    expect(statSync(join(root, 'run.sh')).mode & 0o777).toBe(0o755);
  });

  it('supports input = inline:… and overwrite = false leaves an existing file alone (and unrecorded)', async () => {
    const root = testdir({ 'out.txt': 'edited by hand' });
    const ctx = recipeContext(recipe, 'message', sections(root, { input: 'inline:  hi ${other:path}', output: join(root, 'out.txt'), overwrite: 'false' }));
    expect(await recipe.install(ctx)).toEqual([]);
    expect(readFileSync(join(root, 'out.txt'), 'utf8')).toBe('edited by hand');
    const fresh = recipeContext(recipe, 'message', sections(root, { input: 'inline:  hi ${other:path}', output: join(root, 'new.txt') }));
    await recipe.install(fresh);
    expect(readFileSync(join(root, 'new.txt'), 'utf8')).toBe('hi /x/y');
  });

  it('update rewrites only a changed output (mtime kept otherwise)', async () => {
    const root = testdir({ 't.in': 'v=${other:foo}\n' });
    const s = sections(root, { input: 't.in', output: join(root, 't.out') });
    await recipe.install(recipeContext(recipe, 'message', s));
    const out = join(root, 't.out');
    utimesSync(out, new Date(2000, 1, 1), new Date(2000, 1, 1));
    const old = statSync(out).mtimeMs;
    expect(await recipe.update!(recipeContext(recipe, 'message', s))).toEqual([]);
    expect(statSync(out).mtimeMs).toBe(old);
    s.other.foo = 'changed';
    await recipe.update!(recipeContext(recipe, 'message', s));
    expect(readFileSync(out, 'utf8')).toBe('v=changed\n');
  });

  it('clear errors: missing input file, bad reference, unknown option, conflicting sources, bad mode', async () => {
    const root = testdir({ 'bad.in': 'x=${other:nope}\n', 'bad2.in': 'x=${a:b:c}\n' });
    const fail = async (part: Record<string, string>) => {
      try {
        await recipe.install(recipeContext(recipe, 'message', sections(root, part)));
      } catch (e) {
        if (isBuildoutError(e)) return e.message;
        throw e;
      }
      throw new Error('expected an error');
    };
    expect(await fail({ input: 'missing.in', output: 'o' })).toBe(`The template ${join(root, 'missing.in')} (input of part message) does not exist.`);
    expect(await fail({ input: 'bad.in', output: 'o' })).toBe(`Referenced option does not exist: other nope\n  in the template ${join(root, 'bad.in')}`);
    expect(await fail({ input: 'bad2.in', output: 'o' })).toContain('has too many colons');
    expect(await fail({ input: 'bad.in', inline: 'x', output: 'o' })).toBe('[message] input: Too many input sources.');
    expect(await fail({ output: 'o' })).toBe('[message] input: No input file, inline template, or URL specified.');
    expect(await fail({ inline: 'x', output: 'o', mode: '999' })).toBe("[message] mode: expected an octal file mode such as 755 or 0644, got '999'");
    expect(existsSync(join(root, 'o'))).toBe(false);
  });

  it('hooks: rendering at resolve time gives a digest that follows referenced values, and reports bad references early', () => {
    const root = testdir({ 't.in': 'port ${settings:port} ${own}\n', 'bad.in': '${settings:nope}' });
    const digest = (port: string) => hooks.computeOptions!({ part: 'p', options: { input: 't.in', own: 'x' }, buildout: buildoutView({ buildout: { directory: root }, settings: { port } }) })[DIGEST_OPTION];
    expect(digest('80')).toMatch(/^[0-9a-f]{20}$/);
    expect(digest('80')).toBe(digest('80'));
    expect(digest('81')).not.toBe(digest('80'));
    expect(hooks.computeOptions!({ part: 'p', options: { inline: 'x' }, buildout: buildoutView({ buildout: { directory: root } }) })).toEqual({});
    expect(() => hooks.computeOptions!({ part: 'p', options: { input: 'bad.in' }, buildout: buildoutView({ buildout: { directory: root }, settings: {} }) })).toThrow('Referenced option does not exist: settings nope');
  });

  it('hooks: the input file (absolute) is an input of the part; inline is not', () => {
    const buildout = buildoutView({ buildout: { directory: '/b' } });
    expect(hooks.inputFiles!({ part: 'p', options: { input: 'templates/x.in' }, buildout })).toEqual(['/b/templates/x.in']);
    expect(hooks.inputFiles!({ part: 'p', options: { input: 'inline: x' }, buildout })).toEqual([]);
    expect(hooks.inputFiles!({ part: 'p', options: { inline: 'x' }, buildout })).toEqual([]);
  });
});
