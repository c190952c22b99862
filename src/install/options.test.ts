import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineRecipe } from '../recipes/types.js';
import { parseOptions, schemaKeys, unusedOptionsWarning } from './options.js';

describe('schemaKeys', () => {
  const obj = z.object({ a: z.string(), 'b-c': z.string().optional() });
  it.each([
    ['an object', obj, ['a', 'b-c']],
    ['a transformed object', obj.transform((o) => o), ['a', 'b-c']],
    ['a refined object', obj.superRefine(() => {}), ['a', 'b-c']],
    ['a preprocessed object', z.preprocess((v) => v, obj), ['a', 'b-c']],
    ['an optional object', obj.optional(), ['a', 'b-c']],
  ])('%s', (_, schema, keys) => expect([...schemaKeys(schema)!]).toEqual(keys));

  it('is undefined when anything goes (catch-all, loose, no schema)', () => {
    expect(schemaKeys(obj.loose())).toBeUndefined();
    expect(schemaKeys(obj.catchall(z.string()))).toBeUndefined();
    expect(schemaKeys(undefined)).toBeUndefined();
    expect(schemaKeys(z.record(z.string(), z.string()))).toBeUndefined();
    expect([...schemaKeys(obj.strict())!]).toEqual(['a', 'b-c']);
  });

  it('reads a plain { shape } object (a user recipe without zod)', () => {
    expect([...schemaKeys({ shape: { x: 1 }, safeParse: () => ({}) })!]).toEqual(['x']);
  });
});

describe('unusedOptionsWarning', () => {
  it('names unused written options like zc.buildout, ignoring buildout-internal ones', () => {
    const w = unusedOptionsWarning('instance', ['recipe', 'eggs', 'http-adress', "it's", '<part-dependencies>', '__buildout_signature__', 'zz'], new Set(['eggs']));
    expect(w).toBe("Section `instance` contains unused option(s): 'http-adress' \"it's\" 'zz'.\nThis may be an indication for either a typo in the option's name or a bug in the used recipe.");
    expect(unusedOptionsWarning('p', ['recipe', 'eggs'], new Set(['eggs']))).toBeUndefined();
    expect(unusedOptionsWarning('p', ['anything'], undefined)).toBeUndefined();
  });
});

describe('parseOptions', () => {
  const recipe = defineRecipe({
    name: 'test:recipe',
    schema: z.object({ port: z.string().regex(/^\d+$/, 'must be a port number'), name: z.string() }),
    install: async () => [],
  });
  const locate = (opt?: string) => ({ file: '/b/buildout.cfg', line: opt === 'port' ? 7 : 3 });

  it('returns the typed options', () => {
    expect(parseOptions(recipe, 'p', { port: '80', name: 'x', recipe: 'test:recipe' }, locate)).toEqual({ port: '80', name: 'x' });
  });

  it('lists every problem, locates the first one', () => {
    try {
      parseOptions(recipe, 'web', { port: 'eighty' }, locate);
      expect.unreachable();
    } catch (e) {
      const err = e as { code: string; message: string; loc: unknown; option: string; section: string };
      expect(err.code).toBe('InvalidOption');
      expect(err.message).toBe("Invalid options for part 'web' (recipe test:recipe):\n  [web] port: must be a port number (got \"eighty\")\n  [web] name: missing (this option is required)");
      expect(err.loc).toEqual({ file: '/b/buildout.cfg', line: 7 });
      expect([err.section, err.option]).toEqual(['web', 'port']);
    }
  });

  it('gives the strings to a recipe without a schema', () => {
    const plain = { name: 'plain', install: async () => [] } as unknown as typeof recipe;
    expect(parseOptions(plain, 'p', { a: '1' }, locate)).toEqual({ a: '1' });
  });
});
