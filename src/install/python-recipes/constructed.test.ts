import { describe, expect, it } from 'vitest';
import type { SectionReader } from '../../config/types.js';
import { currentValue, recipeEnvKey, stillValid, type Constructed } from './constructed.js';

function reader(sections: Record<string, Record<string, string>>): SectionReader {
  return {
    options: sections.buildout ?? {},
    section: (n) => {
      const s = sections[n];
      if (!s) throw new Error(`no ${n}`);
      return s;
    },
    hasSection: (n) => n in sections,
    sectionNames: () => Object.keys(sections),
    setOption: () => {},
    addSection: () => {},
  };
}

const entry: Constructed = {
  recipe: 'demo.recipe',
  envKey: 'k',
  options: { recipe: 'demo.recipe', who: 'me' },
  reads: [
    ['buildout', 'parts-directory', '/b/parts'],
    ['other', 'x', null],
  ],
  set: { location: '/b/parts/p' },
  signature: 'demo-recipe-1.0',
};

describe('recorded constructor results', () => {
  const b = reader({ buildout: { 'parts-directory': '/b/parts' }, other: {} });
  it('stay valid while the recipe, the environment, the options and what the constructor read are unchanged', () => {
    expect(stillValid(entry, 'demo.recipe', 'k', { recipe: 'demo.recipe', who: 'me' }, b)).toBe(true);
  });
  it.each([
    ['another recipe', () => stillValid(entry, 'demo.recipe:other', 'k', entry.options, b)],
    ['another environment', () => stillValid(entry, 'demo.recipe', 'k2', entry.options, b)],
    ['a changed option', () => stillValid(entry, 'demo.recipe', 'k', { ...entry.options, who: 'you' }, b)],
    ['an added option', () => stillValid(entry, 'demo.recipe', 'k', { ...entry.options, extra: '1' }, b)],
    ['a read value that changed', () => stillValid(entry, 'demo.recipe', 'k', entry.options, reader({ buildout: { 'parts-directory': '/c' }, other: {} }))],
    ['an option read as missing that now exists', () => stillValid(entry, 'demo.recipe', 'k', entry.options, reader({ buildout: { 'parts-directory': '/b/parts' }, other: { x: '1' } }))],
  ])('are stale after %s', (_what, check) => expect(check()).toBe(false));

  it('a missing section reads as null', () => {
    expect(currentValue(b, 'nope', 'x')).toBeNull();
  });
  it('the environment key changes with a pin, not with an unrelated option', () => {
    const base = { buildout: { directory: '/b', executable: '/py', versions: 'versions' }, versions: { a: '1' } };
    const k = recipeEnvKey(reader(base));
    expect(recipeEnvKey(reader({ ...base, buildout: { ...base.buildout, parts: 'x y' } }))).toBe(k);
    expect(recipeEnvKey(reader({ ...base, versions: { a: '2' } }))).not.toBe(k);
  });
});
