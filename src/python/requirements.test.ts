import { describe, expect, it } from 'vitest';
import { normaliseName, parseRequirement, requirementLines, versionPins } from './requirements.js';
import { unpinnedRequirements } from './environment.js';
import { developDistName } from './develop.js';
import { testdir } from '../../test/helpers/testdir.js';
import { join } from 'node:path';

describe('requirements', () => {
  it('parses names, extras and specifiers', () => {
    expect(parseRequirement('Zope[wsgi]')).toMatchObject({ name: 'Zope', key: 'zope', extras: ['wsgi'], spec: '' });
    expect(parseRequirement('plone.recipe.zope2instance[sentry, x] >= 6.0')).toMatchObject({ key: 'plone-recipe-zope2instance', extras: ['sentry', 'x'], spec: '>= 6.0' });
    expect(parseRequirement('waitress==2.1.2; python_version >= "3.8"')).toMatchObject({ key: 'waitress', spec: '==2.1.2' });
    expect(parseRequirement('# a comment')).toBeUndefined();
    expect(parseRequirement('two words')).toBeUndefined();
  });

  it('normalises names as PEP 503 does', () => {
    expect(normaliseName('Products.CMFPlone')).toBe('products-cmfplone');
    expect(normaliseName('zope__interface')).toBe('zope-interface');
  });

  it('splits eggs lines and drops comments and blank lines', () => {
    expect(requirementLines('Plone\n  # not this\nZope[wsgi]  # inline\n\nwaitress')).toEqual(['Plone', 'Zope[wsgi]', 'waitress']);
    expect(requirementLines(undefined)).toEqual([]);
  });

  it('turns [versions] into constraints: exact pins, specifiers, and reports the rest', () => {
    const { pins, invalid } = versionPins({ Plone: '6.0.9', 'zc.buildout': '>=3.0.1', 'zc.recipe.egg': '>= 2.0.6', odd: 'not a version', empty: '' });
    expect(pins.get('plone')).toMatchObject({ constraint: 'Plone==6.0.9', exact: true, version: '6.0.9' });
    expect(pins.get('zc-buildout')).toMatchObject({ constraint: 'zc.buildout>=3.0.1', exact: false });
    expect(pins.get('zc-recipe-egg')?.constraint).toBe('zc.recipe.egg>=2.0.6');
    expect(pins.has('empty')).toBe(false);
    expect(invalid).toEqual(['odd = not a version']);
  });

  it('finds unpinned requirements, allowing inline == pins and develop eggs', () => {
    const { pins } = versionPins({ 'Products.CMFPlone': '6.0', loose: '>=1' });
    expect(unpinnedRequirements(['products.cmfplone', 'loose', 'exact==1.0', 'mine', 'other[x]'], pins, new Set(['mine']))).toEqual(['loose', 'other']);
  });

  it('reads a develop folder’s distribution name from pyproject.toml, setup.cfg or setup.py', () => {
    const root = testdir({
      'a/pyproject.toml': '[build-system]\nrequires = []\n\n[project]\nname = "my.pkg"\nversion = "1"\n',
      'b/setup.cfg': '[metadata]\nname = other-pkg\n',
      'c/setup.py': 'from setuptools import setup\nsetup(\n    name="third_pkg",\n)\n',
      'plain-dir/setup.py': 'setup(name=NAME)\n',
    });
    expect(developDistName(join(root, 'a'))).toBe('my.pkg');
    expect(developDistName(join(root, 'b'))).toBe('other-pkg');
    expect(developDistName(join(root, 'c'))).toBe('third_pkg');
    expect(developDistName(join(root, 'plain-dir'))).toBe('plain-dir');
  });
});
