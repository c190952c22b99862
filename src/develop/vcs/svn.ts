// Subversion working copies, as mr.developer handles them: checkout, update or
// switch (to another URL or a pinned revision: `url@123`, `rev=123`, or a minimum
// `rev=>=123`), status from `svn status --xml`. svn keeps its state in a database,
// so telling whether a checkout matches takes one `svn info` process.
import { existsSync } from 'node:fs';
import { BuildoutError } from '../../errors.js';
import type { ActionOptions, Source, WorkingCopy } from '../types.js';
import { shouldUpdate } from './common.js';
import { checkoutError, runTool, type ToolRun } from './tool.js';

export function svnWorkingCopy(source: Source): WorkingCopy {
  const { url, rev } = normalizedUrlRev(source);
  const path = source.path;
  const tool: ToolRun = { program: 'svn', source: source.name };
  let info: { url?: string; revision?: string } | undefined;

  // --non-interactive: a buildout never waits for a password prompt
  async function svn(sub: string, args: string[], what: string, opts: ActionOptions): Promise<string> {
    const argv = [sub, '--no-auth-cache', '--non-interactive'];
    if (opts.acceptCertificate) argv.push('--trust-server-cert');
    if (!opts.verbose) argv.push('--quiet');
    const r = await runTool(tool, [...argv, ...args]);
    if (r.exitCode !== 0) throw checkoutError(`Subversion ${what} of '${source.name}' failed.\n${r.stderr.trim()}`);
    return r.stdout;
  }
  const revArgs = () => (rev !== undefined && !rev.startsWith('>') ? [`-r${rev}`] : []);
  async function switchTo(opts: ActionOptions, log: { info(m: string): void }) {
    log.info(`Switched '${source.name}' with subversion.`);
    return svn('switch', [...revArgs(), '--', url, path], 'switch', opts);
  }
  async function readInfo() {
    if (info) return info;
    const r = await runTool(tool, ['info', '--non-interactive', '--xml', '--', path]);
    if (r.exitCode !== 0) throw checkoutError(`Subversion info for '${source.name}' failed.\n${r.stderr.trim()}`);
    const entry = /<entry\b[^>]*>/.exec(r.stdout)?.[0] ?? '';
    info = { revision: /\brevision="([^"]*)"/.exec(entry)?.[1], url: xmlText(/<url>([^<]*)<\/url>/.exec(r.stdout)?.[1]) };
    return info;
  }

  const wc: WorkingCopy = {
    source,
    async checkout(opts, log) {
      if (!existsSync(path)) {
        log.info(`Checked out '${source.name}' with subversion.`);
        return svn('checkout', ['--', url, path], 'checkout', opts);
      }
      if (await wc.matches()) {
        if (shouldUpdate(source, opts)) return wc.update(opts, log);
        log.info(`Skipped checkout of existing package '${source.name}'.`);
        return '';
      }
      if ((await wc.status()).status === 'clean') return switchTo(opts, log);
      const current = (await readInfo()).url;
      throw checkoutError(current ? `The current checkout of '${source.name}' is from '${current}'.\nCan't switch package to '${source.url}' because it's dirty.` : `Can't switch package '${source.name}' to '${source.url}' because it's dirty.`);
    },
    async update(opts, log) {
      const { status } = await wc.status();
      if (!(await wc.matches())) {
        if (opts.force || status === 'clean') return switchTo(opts, log);
        throw checkoutError(`Can't switch package '${source.name}' because it's dirty.`);
      }
      if (status !== 'clean' && !opts.force) throw checkoutError(`Can't update package '${source.name}' because it's dirty.`);
      log.info(`Updated '${source.name}' with subversion.`);
      info = undefined;
      return svn('update', [...revArgs(), '--', path], 'update', opts);
    },
    async status() {
      const r = await runTool(tool, ['status', '--xml', '--', path]);
      if (r.exitCode !== 0) throw checkoutError(`Subversion status for '${source.name}' failed.\n${r.stderr.trim()}`);
      const items = [...r.stdout.matchAll(/<wc-status\b[^>]*\bitem="([^"]*)"/g)].map((m) => m[1]);
      const dirty = items.some((i) => i !== 'external');
      const text = dirty ? (await runTool(tool, ['status', '--', path])).stdout : '';
      return { status: dirty ? 'dirty' : 'clean', output: text };
    },
    async matches() {
      const i = await readInfo();
      const want = url.endsWith('/') ? url.slice(0, -1) : url;
      const pinned = rev ?? i.revision ?? '';
      const have = Number(i.revision);
      if (pinned.startsWith('>=')) return i.url === want && have >= Number(pinned.slice(2));
      if (pinned.startsWith('>')) return i.url === want && have > Number(pinned.slice(1));
      return i.url === want && i.revision === pinned;
    },
  };
  return wc;
}

// `https://host/repo/trunk@123` or rev=/revision=: the URL without the pin, and the pin.
function normalizedUrlRev(source: Source): { url: string; rev?: string } {
  const o = source.options;
  if (o.rev !== undefined && o.revision !== undefined) throw new BuildoutError('InvalidOption', `The source definition of '${source.name}' contains duplicate revision options.`, { option: source.name });
  let url = source.url;
  let rev: string | undefined;
  const m = /^([a-z][a-z0-9+.-]*:\/\/[^/]*)?([^?#]*?)@([^/?#]+)((?:[?#].*)?)$/i.exec(url);
  if (m && (m[1] !== undefined || !url.includes('://'))) {
    url = `${m[1] ?? ''}${m[2]}${m[4]}`;
    rev = m[3];
  }
  const own = o.rev ?? o.revision;
  if (rev !== undefined && own !== undefined) throw new BuildoutError('InvalidOption', `The url of '${source.name}' contains a revision and there is an additional revision option.`, { option: source.name });
  return { url, rev: rev ?? own };
}

function xmlText(s: string | undefined): string | undefined {
  return s?.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}
