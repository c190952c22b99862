// Mercurial working copies, as mr.developer handles them: clone at `branch` or
// `rev`, pull -u then update to the rev, status (changes, then outgoing
// changesets). Whether a checkout is of the URL is read from its `.hg/hgrc`.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import type { Source, WorkingCopy, WorkingCopyStatus } from '../types.js';
import { readText, shouldUpdate } from './common.js';
import { checkoutError, runTool, runToolOk, type ToolRun } from './tool.js';

export function hgWorkingCopy(source: Source): WorkingCopy {
  const o = source.options;
  const branch = o.branch ?? 'default';
  if (branch !== 'default' && o.rev) throw new BuildoutError('InvalidOption', `'branch' and 'rev' parameters cannot be used simultanously (source '${source.name}').`, { option: source.name });
  const rev = branch !== 'default' ? branch : o.rev || 'default';
  // hg is a Python program: the buildout's PYTHONPATH must not leak into it
  const tool = (cwd?: string): ToolRun => ({ program: 'hg', source: source.name, cwd, env: { PYTHONPATH: undefined, HGPLAIN: '1' } });
  const path = source.path;

  const wc: WorkingCopy = {
    source,
    async checkout(opts, log) {
      if (existsSync(path)) {
        if (shouldUpdate(source, opts)) return wc.update(opts, log);
        if (!(await wc.matches())) throw checkoutError(`Source URL for existing package '${source.name}' differs. Expected '${source.url}'.`);
        log.info(`Skipped checkout of existing package '${source.name}'.`);
        return '';
      }
      log.info(`Cloned '${source.name}' with mercurial.`);
      return (await runToolOk(tool(), ['clone', '--updaterev', rev, '--quiet', '--noninteractive', '--', source.url, path], `hg clone for '${source.name}' failed.`)).stdout;
    },
    async update(opts, log) {
      if (!(await wc.matches())) throw checkoutError(`Can't update package '${source.name}' because its URL doesn't match.`);
      if ((await wc.status()).status !== 'clean' && !opts.force) throw checkoutError(`Can't update package '${source.name}' because it's dirty.`);
      log.info(`Updated '${source.name}' with mercurial.`);
      const pull = await runTool(tool(path), ['pull', '-u']);
      // hg pull exits non-zero when there was nothing to pull
      if (pull.exitCode !== 0 && !pull.stdout.includes('no changes found')) throw checkoutError(`hg pull for '${source.name}' failed.\n${pull.stderr.trim()}`);
      const up = await runToolOk(tool(path), ['checkout', rev, '-c'], `hg update for '${source.name}' failed.`);
      log.info(`Switched '${source.name}' to ${rev}.`);
      return pull.stdout + up.stdout;
    },
    async status() {
      const r = await runTool(tool(path), ['status']);
      let status: WorkingCopyStatus = r.stdout ? 'dirty' : 'clean';
      let output = r.stdout;
      if (status === 'clean') {
        const out = await runTool(tool(path), ['outgoing']);
        output += '\n' + out.stdout;
        if (out.exitCode === 0) status = 'ahead';
      }
      return { status, output };
    },
    async matches() {
      const hgrc = readText(join(path, '.hg', 'hgrc'));
      const fromFile = hgrc === undefined ? undefined : defaultPath(hgrc);
      if (fromFile !== undefined) return fromFile === source.url;
      const r = await runTool(tool(path), ['showconfig', 'paths.default']);
      if (r.exitCode !== 0) throw checkoutError(`hg showconfig for '${source.name}' failed.\n${r.stderr.trim()}`);
      return r.stdout === source.url + '\n';
    },
  };
  return wc;
}

// `default = …` of the [paths] section of an hgrc.
function defaultPath(hgrc: string): string | undefined {
  let inPaths = false;
  for (const raw of hgrc.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) inPaths = line === '[paths]';
    else if (inPaths) {
      const m = /^default\s*=\s*(.*)$/.exec(line);
      if (m) return m[1]!.trim();
    }
  }
  return undefined;
}
