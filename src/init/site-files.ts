// `buildout init --server NAME [--zeo] [--plone]`: the files of a buildout that runs at
// once, what the WSGI shims' `mk<server>instance` scripts make, in buildout's world: a
// buildout.cfg with a Zope instance part (a ZEO server part with --zeo), the versions file
// a Plone or Zope of today needs (a copy of our tested examples/versions.cfg), and the
// server's wsgi.ini template where the built-in one does not serve it.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

export const SERVERS = ['waitress', 'bjoern', 'cheroot', 'werkzeug', 'gunicorn', 'granian'] as const;
export type ServerName = (typeof SERVERS)[number];

export interface SiteOptions {
  server: ServerName;
  plone: boolean;
  zeo: boolean;
  /** `host:port` of the instance */
  address: string;
  /** the config file's name (buildout.cfg), for the comments */
  configName: string;
  /** the command line as typed, and our name and version, for the header */
  command: string;
  tool: string;
  /** the admin password (random unless a test gives one) */
  password?: string;
}

export interface SiteFile {
  /** relative to the buildout directory */
  path: string;
  content: string;
  mode: number;
}

interface ServerFacts {
  /** the distribution that provides the server (none: waitress is Zope's own requirement) */
  egg?: string;
  /** the template's host/port keys (cheroot, werkzeug and gunicorn take no http-address) */
  hostKey?: string;
  portKey?: string;
  /** no template: the recipe's built-in wsgi.ini (waitress through buildout-ts-wsgi) */
  builtin?: boolean;
  pipeline?: string[];
}

const FACTS: Record<ServerName, ServerFacts> = {
  waitress: { builtin: true },
  bjoern: { egg: 'dataflake.wsgi.bjoern' },
  cheroot: { egg: 'dataflake.wsgi.cheroot', hostKey: 'host', portKey: 'port' },
  werkzeug: { egg: 'dataflake.wsgi.werkzeug', hostKey: 'hostname', portKey: 'port', pipeline: ['translogger', 'egg:Zope#httpexceptions', 'egg:Zope#content_length', 'zope'] },
  gunicorn: { egg: 'gunicorn', hostKey: 'host', portKey: 'port' },
  // granian's template listens on the recipe's http-address (listen = %(http_address)s)
  granian: { egg: 'granian' },
};

export const DEFAULT_ADDRESS = '127.0.0.1:8080';
const ZEO_ADDRESS = '127.0.0.1:8100';

/** A password for the admin user: 120 random bits, URL-safe characters only. */
export function randomPassword(): string {
  return randomBytes(15).toString('base64url');
}

export async function siteFiles(o: SiteOptions): Promise<{ files: SiteFile[]; password: string }> {
  const facts = FACTS[o.server];
  const password = o.password ?? randomPassword();
  const template = facts.builtin ? undefined : `templates/${o.server}.ini.in`;
  const { renderTemplate } = await import('../templates/render.js');
  const cfg = await renderTemplate('init-buildout.cfg', {
    site: o.plone ? 'Plone' : 'Zope',
    plone: o.plone,
    server: o.server,
    command: o.command,
    tool: o.tool,
    zeo: o.zeo,
    zeoAddress: ZEO_ADDRESS,
    address: o.address,
    password,
    lockName: o.configName.replace(/\.cfg$/i, '') + '.lock',
    // Zope alone does not require Paste, whose translogger is in the default pipeline
    eggs: [...(o.plone ? ['Plone'] : ['Zope', 'Paste']), ...(facts.egg ? [facts.egg] : [])],
    template: template ?? '',
    templateNote: facts.hostKey ? `${o.server} listens where ${template} says (${facts.hostKey} = ..., ${facts.portKey} = ...)` : '',
    pipeline: facts.pipeline ?? '',
  });
  const files: SiteFile[] = [
    // it holds the admin password
    { path: o.configName, content: cfg, mode: 0o600 },
    { path: 'versions.cfg', content: versionsFile(o.tool), mode: 0o644 },
  ];
  if (template) files.push({ path: template, content: serverTemplate(o.server, o.address, facts), mode: 0o644 });
  return { files, password };
}

// --- internal ---

// Our pins (examples/versions.cfg: Plone, Zope, ZEO and every WSGI server, tested
// together); Zope alone takes the same file: pins of what is not installed do nothing.
function versionsFile(tool: string): string {
  const text = readFileSync(join(packageRoot(), 'examples', 'versions.cfg'), 'utf8');
  const body = text.slice(text.indexOf('[versions]'));
  const what = /^# Versions for the example buildouts: (.*)$/m.exec(text)?.[1] ?? 'Plone, Zope, ZEO and the WSGI servers.';
  return `# Versions known to work together: ${what}\n# Copied from ${tool} by \`buildout init\`; change them as you need.\n${body}`;
}

// The training-style template of templates/, with the address given to init.
function serverTemplate(server: ServerName, address: string, facts: ServerFacts): string {
  let text = readFileSync(join(packageRoot(), 'templates', `${server}.ini.in`), 'utf8');
  if (facts.hostKey && facts.portKey) {
    const i = address.lastIndexOf(':');
    const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
    const port = address.slice(i + 1);
    text = text.replace(new RegExp(`^${facts.hostKey} = .*$`, 'm'), `${facts.hostKey} = ${host}`).replace(new RegExp(`^${facts.portKey} = .*$`, 'm'), `${facts.portKey} = ${port}`);
  }
  return text;
}
