import { describe, expect, it } from 'vitest';
import { fileMatches } from './index-files.js';

describe('fileMatches', () => {
  it.each([
    ['click-8.1.7-py3-none-any.whl', 'click', '8.1.7', true],
    ['Products.CMFPlone-6.2.2.tar.gz', 'products-cmfplone', '6.2.2', true],
    ['zope_interface-7.2-cp311-cp311-manylinux_2_17_x86_64.whl', 'zope.interface', '7.2', true],
    ['plone.app-layout-6.0.2.tar.gz', 'plone-app-layout', '6.0.2', true],
    ['zope-6.2.0-py3-none-any.whl', 'Zope', '6.2', true],
    ['click-8.1.70-py3-none-any.whl', 'click', '8.1.7', false],
    ['clicks-8.1.7.tar.gz', 'click', '8.1.7', false],
    ['click-8.1.7.exe', 'click', '8.1.7', false],
  ])('%s is %s %s: %s', (file, name, version, expected) => {
    expect(fileMatches(file, name, version)).toBe(expected);
  });
});
