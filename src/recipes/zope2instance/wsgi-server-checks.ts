// Warnings for WSGI server / option combinations that operators hit with the
// dataflake.wsgi.* shims, waitress and gunicorn (see wsgi-shims.md). Pure.
import type { IniSections } from './ini-check.js';
import { isZeoClient } from './rules.js';
import type { WsgiVars } from './wsgi-vars.js';

export type ServerKind = 'builtin' | 'waitress' | 'werkzeug' | 'cheroot' | 'bjoern' | 'gunicorn' | 'granian' | 'other';

/** Which server a `[server:main] use = ...` value names. */
export function serverKind(use: string): ServerKind {
  const u = use.toLowerCase();
  // egg:buildout-ts-wsgi#granian is ours too, but granian serves it
  if (u.includes('granian')) return 'granian';
  if (/buildout[-_]ts[-_]wsgi|plone\.recipe\.zope2instance/.test(u)) return 'builtin';
  if (u.includes('werkzeug')) return 'werkzeug';
  if (u.includes('cheroot')) return 'cheroot';
  if (u.includes('bjoern')) return 'bjoern';
  if (u.includes('gunicorn')) return 'gunicorn';
  if (u.includes('waitress')) return 'waitress';
  return 'other';
}

export interface ServerCheckInput {
  part: string;
  options: Readonly<Record<string, string | undefined>>;
  sections: IniSections;
  kind: ServerKind;
  /** the raw wsgi-ini-template text, when one is used */
  templateText?: string;
  vars: WsgiVars;
}

export function serverWarnings(input: ServerCheckInput): string[] {
  const { part, options: o, sections, kind } = input;
  const server = sections.get('server:main') ?? new Map<string, string>();
  const out: string[] = [];
  const p = `[${part}]`;
  const fileStorage = !isZeoClient(o) && !o['rel-storage'];

  if (input.templateText !== undefined && o['http-address'] !== undefined && !input.templateText.includes('%(http_address)s')) {
    const where = ['host', 'hostname', 'port', 'listen'].filter((k) => server.has(k)).map((k) => `${k} = ${server.get(k)}`).join(', ');
    out.push(`${p} http-address = ${o['http-address']} has no effect: your wsgi-ini-template does not use %(http_address)s${where ? ` (the server uses ${where})` : ''}`);
  }
  if (kind === 'cheroot') {
    const bad = ['listen', 'fast-listen', 'threads', 'reuse_port'].filter((k) => server.has(k));
    if (bad.length) out.push(`${p} cheroot passes unknown [server:main] keys to its server and fails at start: remove ${bad.join(', ')} and use host = ... / port = ... (cheroot cannot use %(http_address)s)`);
  }
  if (kind === 'bjoern') {
    const listen = server.get('listen');
    if (listen && (/\s/.test(listen.trim()) || listen.includes('['))) out.push(`${p} bjoern listens on one IPv4 host:port only, but listen = ${listen}: give a single address (e.g. http-address = 127.0.0.1:8080)`);
    if (server.has('threads')) out.push(`${p} bjoern is single-threaded: threads = ${server.get('threads')} in [server:main] is ignored`);
  }
  if (kind === 'gunicorn') {
    const workers = Number(server.get('workers') ?? '1');
    if (workers > 1 && fileStorage) out.push(`${p} gunicorn with workers = ${workers} starts ${workers} Zope processes, but a FileStorage (Data.fs) can be opened by one process only: use workers = 1, or zeo-client = on / rel-storage`);
    else if (workers > 1) out.push(`${p} gunicorn with workers = ${workers} runs ${workers} Zope processes in one instance (each with its own ZODB cache); the usual setup is one worker per instance and more instances behind a load balancer`);
  }
  if (kind === 'granian') {
    const workers = Number(server.get('workers') ?? '1');
    if (workers > 1 && fileStorage) out.push(`${p} granian with workers = ${workers} starts ${workers} Zope processes, but a FileStorage (Data.fs) can be opened by one process only: use workers = 1, or zeo-client = on / rel-storage`);
    if (o.threads !== undefined && !server.has('threads') && !server.has('blocking_threads')) {
      out.push(`${p} threads = ${o.threads} has no effect: [server:main] of granian has no threads key (add threads = %(threads)s to your wsgi-ini-template)`);
    }
  }
  if (kind === 'waitress' && server.has('fast-listen')) {
    out.push(`${p} egg:waitress#main rejects the fast-listen key: use listen = ..., or the built-in server (egg:buildout-ts-wsgi#main)`);
  }
  if ((kind === 'werkzeug' || kind === 'bjoern' || kind === 'gunicorn') && o.threads !== undefined) {
    out.push(`${p} threads = ${o.threads} only configures the built-in waitress server; ${kind} does not use it`);
  }
  return out;
}
