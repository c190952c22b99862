import { describe, expect, it } from 'vitest';
import { isBuildoutError } from '../../errors.js';
import { planZcml, SITE_ZCML } from './zcml.js';
import { inituserLine, splitUser, INITUSER_MODE } from './inituser.js';

describe('package-includes', () => {
  it('numbers zcml slugs from 002 and names them by kind; comments are skipped', () => {
    const plan = planZcml('instance', { zcml: 'my.pkg\n# a comment\nother.pkg-meta  third-overrides # trailing\nfourth-exportimport\nfifth:special.zcml' });
    expect(plan.wipe).toBe(true);
    expect(plan.files).toEqual([
      { name: '002-my.pkg-configure.zcml', content: '<include package="my.pkg" file="configure.zcml" />\n' },
      { name: '003-other.pkg-meta.zcml', content: '<include package="other.pkg" file="meta.zcml" />\n' },
      { name: '004-third-overrides.zcml', content: '<include package="third" file="overrides.zcml" />\n' },
      { name: '005-fourth-exportimport-configure.zcml', content: '<include package="fourth" file="exportimport.zcml" />\n' },
      { name: '006-fifth-configure.zcml', content: '<include package="fifth" file="special.zcml" />\n' },
    ]);
  });

  it('keeps existing slugs with *, and writes additional, resources and locales files', () => {
    const plan = planZcml('instance', { zcml: '* a', 'zcml-additional': '<include package="x" />', resources: ' /bd/resources ', locales: '/bd/locales' });
    expect(plan.wipe).toBe(false);
    expect(plan.dirs).toEqual(['/bd/resources', '/bd/locales']);
    expect(Object.fromEntries(plan.files.map((f) => [f.name, f.content]))).toMatchInlineSnapshot(`
      {
        "001-locales-configure.zcml": "<configure xmlns="http://namespaces.zope.org/zope"
                 xmlns:i18n="http://namespaces.zope.org/i18n">
          <i18n:registerTranslations directory="/bd/locales" />
      </configure>
      ",
        "002-a-configure.zcml": "<include package="a" file="configure.zcml" />
      ",
        "998-resources-configure.zcml": "<configure xmlns="http://namespaces.zope.org/zope"
                 xmlns:plone="http://namespaces.plone.org/plone">
          <include package="plone.resource" file="meta.zcml"/>
          <plone:static directory="/bd/resources"/>
      </configure>
      ",
        "999-additional-overrides.zcml": "<configure xmlns="http://namespaces.zope.org/zope">
          <include package="x" />
      </configure>",
      }
    `);
  });

  it('uses site-zcml verbatim and ignores everything else', () => {
    expect(planZcml('instance', { 'site-zcml': '<configure/>', zcml: 'a' })).toMatchObject({ siteZcml: '<configure/>', files: [] });
    expect(planZcml('instance', {})).toMatchObject({ packageIncludes: false, files: [] });
  });

  it.each(['bad name!', 'a-b-c', 'x:y:z', '-meta'])('rejects the zcml item %j naming [instance] zcml', (item) => {
    let err: unknown;
    try {
      planZcml('instance', { zcml: item });
    } catch (e) {
      err = e;
    }
    expect(isBuildoutError(err)).toBe(true);
    expect(err).toMatchObject({ section: 'instance', option: 'zcml' });
  });

  it('ships the skeleton site.zcml', () => {
    expect(SITE_ZCML).toContain('<include files="package-includes/*-meta.zcml" />');
    expect(SITE_ZCML).toContain('<securityPolicy component="AccessControl.security.SecurityPolicy" />');
  });
});

describe('inituser', () => {
  it('hashes like the recipe: {SHA} + base64(sha1(utf-8 password))', () => {
    expect(inituserLine('admin', 'admin')).toBe('admin:{SHA}0DPiKuNIrrVmD8IUCuw1hQxNqZc=\n');
    expect(splitUser('admin:pa:ss')).toEqual({ name: 'admin', password: 'pa:ss' });
    expect(INITUSER_MODE).toBe(0o600);
  });
});
