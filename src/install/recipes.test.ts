import { describe, expect, it } from 'vitest';
import { unknownRecipeHint } from './recipes.js';
import { isPathSpec, parseUserRecipeSpec } from '../recipes/user.js';

describe('unknownRecipeHint', () => {
  it.each([
    ['plone.recipe.zope2instanc', "Did you mean 'plone.recipe.zope2instance'?"],
    ['zc.recipe.eggs', "Did you mean 'zc.recipe.egg'?"],
    ['Collective.Recipe.Template', "Did you mean 'collective.recipe.template'?"],
  ])('%s', (spec, hint) => expect(unknownRecipeHint(spec)).toMatch(new RegExp(`^${hint.replace(/[.?()]/g, '\\$&')} Built-in recipes: `)));

  it('suggests nothing for a name far from every built-in one, but lists them and explains user recipes', () => {
    const h = unknownRecipeHint('my.company.recipe');
    expect(h).not.toContain('Did you mean');
    expect(h).toContain('plone.recipe.zope2instance');
    expect(h).not.toContain('buildout-ts:mkdir');
    expect(h).toContain('module path (./recipes/name.mjs) or an npm package');
  });
});

describe('user recipe specs', () => {
  it.each([
    ['./recipes/a.mjs', { module: './recipes/a.mjs', exportName: 'default', isPath: true }],
    ['./recipes/a.mjs:other', { module: './recipes/a.mjs', exportName: 'other', isPath: true }],
    ['/abs/r.js', { module: '/abs/r.js', exportName: 'default', isPath: true }],
    ['my-recipes', { module: 'my-recipes', exportName: 'default', isPath: false }],
    ['@org/recipes:mkdir', { module: '@org/recipes', exportName: 'mkdir', isPath: false }],
    ['zc.recipe.egg:custom', { module: 'zc.recipe.egg', exportName: 'custom', isPath: false }],
  ])('%s', (spec, expected) => expect(parseUserRecipeSpec(spec)).toEqual({ spec, ...expected }));

  it('isPathSpec', () => {
    expect([isPathSpec('./a'), isPathSpec('../a'), isPathSpec('/a'), isPathSpec('a/b'), isPathSpec('a')]).toEqual([true, true, true, false, false]);
  });
});
