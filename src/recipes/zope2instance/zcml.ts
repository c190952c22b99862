// etc/site.zcml and etc/package-includes/*.zcml (pure: returns file texts).
import { ZCML_PACKAGE, splitNoComments } from './rules.js';
import { BuildoutError } from '../../errors.js';

/** The skeleton's site.zcml (replaced by the `site-zcml` option). */
export const SITE_ZCML = `<configure
    xmlns="http://namespaces.zope.org/zope"
    xmlns:five="http://namespaces.zope.org/five"
    xmlns:meta="http://namespaces.zope.org/meta"
    >

  <include package="Products.Five" />
  <meta:redefinePermission
      from="zope2.Public"
      to="zope.Public"
      />


  <!-- Load the meta -->
  <include files="package-includes/*-meta.zcml" />
  <five:loadProducts file="meta.zcml" />

  <!-- Load the configuration -->
  <include files="package-includes/*-configure.zcml" />
  <five:loadProducts />

  <!-- Load the configuration overrides-->
  <includeOverrides files="package-includes/*-overrides.zcml" />
  <five:loadProductsOverrides />


  <securityPolicy component="AccessControl.security.SecurityPolicy" />

</configure>
`;

export interface ZcmlPlan {
  /** literal site.zcml content when `site-zcml` is set (then nothing else happens) */
  siteZcml: string | undefined;
  /** whether etc/package-includes is used at all */
  packageIncludes: boolean;
  /** remove existing slugs first (false when `*` is among the zcml items) */
  wipe: boolean;
  /** file name → content */
  files: Array<{ name: string; content: string }>;
  /** directories (resources, locales) to create if missing */
  dirs: string[];
}

export function planZcml(part: string, o: Readonly<Record<string, string | undefined>>): ZcmlPlan {
  const plan: ZcmlPlan = { siteZcml: undefined, packageIncludes: false, wipe: true, files: [], dirs: [] };
  if (o['site-zcml']) {
    plan.siteZcml = o['site-zcml'];
    return plan;
  }
  const items = o.zcml ? splitNoComments(o.zcml) : [];
  const additional = o['zcml-additional'];
  const resources = o.resources;
  const locales = o.locales;
  if (!(additional || resources || locales || items.length)) return plan;
  plan.packageIncludes = true;
  const star = items.indexOf('*');
  if (star >= 0) {
    plan.wipe = false;
    // the recipe removes the first `*` only
    items.splice(star, 1);
  }
  if (additional) {
    plan.files.push({ name: '999-additional-overrides.zcml', content: `<configure xmlns="http://namespaces.zope.org/zope">\n    ${additional}\n</configure>\n`.trim() });
  }
  if (resources) {
    const dir = resources.trim();
    plan.files.push({
      name: '998-resources-configure.zcml',
      content: `<configure xmlns="http://namespaces.zope.org/zope"\n           xmlns:plone="http://namespaces.plone.org/plone">\n    <include package="plone.resource" file="meta.zcml"/>\n    <plone:static directory="${dir}"/>\n</configure>\n`,
    });
    plan.dirs.push(dir);
  }
  if (locales) {
    const dir = locales.trim();
    plan.files.push({
      name: '001-locales-configure.zcml',
      content: `<configure xmlns="http://namespaces.zope.org/zope"\n           xmlns:i18n="http://namespaces.zope.org/i18n">\n    <i18n:registerTranslations directory="${dir}" />\n</configure>\n`,
    });
    plan.dirs.push(dir);
  }
  let n = 1; // 001 is reserved for the locales slug
  for (const item of items) {
    n++;
    let pkg = item;
    let file: string | undefined;
    if (pkg.includes(':')) {
      const parts = pkg.split(':');
      if (parts.length !== 2) throw invalid(part, item, 'more than one ":"');
      [pkg, file] = parts as [string, string];
    }
    let suffix = 'configure';
    let kind = 'configure';
    if (pkg.includes('-')) {
      const parts = pkg.split('-');
      if (parts.length !== 2) throw invalid(part, item, 'more than one "-"');
      [pkg, suffix] = parts as [string, string];
      kind = ['configure', 'meta', 'overrides'].includes(suffix) ? suffix : `${suffix}-configure`;
    }
    file ??= `${suffix}.zcml`;
    if (!ZCML_PACKAGE.test(pkg)) throw invalid(part, item, `${JSON.stringify(pkg)} is not a dotted package name`);
    plan.files.push({ name: `${String(n).padStart(3, '0')}-${pkg}-${kind}.zcml`, content: `<include package="${pkg}" file="${file}" />\n` });
  }
  return plan;
}

function invalid(part: string, item: string, why: string): BuildoutError {
  return new BuildoutError('UserError', `invalid zcml item ${JSON.stringify(item)}: ${why}`, { section: part, option: 'zcml', hint: 'items look like my.package, my.package-meta, my.package-overrides or my.package:other.zcml' });
}
