// git working copies, as mr.developer handles them: clone (with `branch`,
// `depth`, `rev`, `pushurl`, submodules), update (fetch, then switch to `rev` or
// `branch` and merge the remote branch), status (`git status -s -b`). Whether an
// existing checkout is of the source's URL is read from its `.git/config`, so a
// buildout run that has nothing to check out starts no git process.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { BuildoutError } from '../../errors.js';
import type { Logger } from '../../log.js';
import type { ActionOptions, Source, WorkingCopy, WorkingCopyStatus } from '../types.js';
import { readText, shouldUpdate } from './common.js';
import { checkoutError, runTool, runToolOk, type ToolRun } from './tool.js';

const UPSTREAM = 'origin';

export function gitWorkingCopy(source: Source): WorkingCopy {
  const o = source.options;
  if (o.rev !== undefined && o.revision !== undefined) throw new BuildoutError('InvalidOption', `The source definition of '${source.name}' contains duplicate revision options.`, { option: source.name });
  // 'rev' is canonical
  const rev = o.rev ?? o.revision;
  if (o.branch !== undefined && rev !== undefined) {
    throw new BuildoutError('InvalidOption', `Cannot specify both branch (${o.branch}) and rev/revision (${rev}) in source for ${source.name}`, { option: source.name, hint: 'A rev (a tag or commit) already names what to check out: drop one of them.' });
  }
  const path = source.path;
  const tool = (cwd?: string): ToolRun => ({ program: 'git', source: source.name, cwd });
  const git = (args: string[], what: string) => runToolOk(tool(path), args, what);

  async function clone(opts: ActionOptions, log: Logger): Promise<string> {
    if (existsSync(path)) {
      log.info(`Skipped cloning of existing package '${source.name}'.`);
      return '';
    }
    log.info(`Cloned '${source.name}' with git${o.branch !== undefined ? ` using branch '${o.branch}'` : ''} from '${source.url}'.`);
    const args = ['clone', '--quiet'];
    if (o.depth !== undefined) args.push('--depth', o.depth.trim());
    if (o.branch !== undefined) args.push('-b', o.branch);
    // `--` keeps a URL or path that starts with a dash from being read as an option
    args.push('--', source.url, path);
    let out = (await runToolOk(tool(), args, `git cloning of '${source.name}' failed.`)).stdout;
    if (rev !== undefined) out += await switchBranch(log, false);
    if (o.pushurl !== undefined) out += (await git(['config', `remote.${UPSTREAM}.pushurl`, o.pushurl], `git config remote.${UPSTREAM}.pushurl ${o.pushurl}\nfailed.`)).stdout;
    const submodules = o.submodules ?? opts.submodules;
    if (submodules === 'always' || submodules === 'checkout') out += await initSubmodules(log);
    return out;
  }

  // Checks out `rev`, or the branch (local, or made from the remote one). With
  // acceptMissing, a missing branch is no error (going back to the default branch).
  async function switchBranch(log: Logger, acceptMissing: boolean, branch = o.branch ?? 'master'): Promise<string> {
    const listing = (await git(['branch', '-a'], "'git branch -a' failed.")).stdout;
    let argv: string[];
    if (rev !== undefined) {
      argv = ['checkout', rev];
      log.info(`Switching to rev '${rev}'.`);
    } else if (new RegExp(`^(\\*| ) ${escape(branch)}$`, 'm').test(listing)) {
      argv = ['checkout', branch];
      log.info(`Switching to branch '${branch}'.`);
    } else if (new RegExp(`^  remotes/${UPSTREAM}/${escape(branch)}$`, 'm').test(listing)) {
      argv = ['checkout', '-b', branch, `remotes/${UPSTREAM}/${branch}`];
      log.info(`Switching to remote branch 'remotes/${UPSTREAM}/${branch}'.`);
    } else if (acceptMissing) {
      log.info(`No such branch '${branch}'`);
      return listing;
    } else {
      throw checkoutError(`No such branch '${branch}' in the git repository of '${source.name}'.`, `Check the branch option of the source '${source.name}'.`);
    }
    return listing + (await git(argv, `git checkout of branch '${rev ?? branch}' failed.`)).stdout;
  }

  async function mergeRemoteBranch(log: Logger, acceptMissing: boolean, branch = o.branch ?? 'master'): Promise<string> {
    const listing = (await git(['branch', '-a'], "'git branch -a' failed.")).stdout;
    if (!new RegExp(`^(\\*| ) ${escape(branch)}$`, 'm').test(listing)) {
      if (acceptMissing) {
        log.info(`No such branch '${branch}'`);
        return listing;
      }
      throw checkoutError(`No such branch '${branch}' in the git repository of '${source.name}'.`);
    }
    return listing + (await git(['merge', `remotes/${UPSTREAM}/${branch}`], `git merge of remote branch '${UPSTREAM}/${branch}' failed.`)).stdout;
  }

  // git_init_submodules + git_update_submodules of the newly registered ones only:
  // updating a modified submodule could lose work.
  async function initSubmodules(log: Logger): Promise<string> {
    const init = await git(['submodule', 'init'], 'git submodule init failed.');
    const text = init.stdout || init.stderr;
    let out = init.stdout;
    for (const m of text.matchAll(/\s+['"](.*?)['"]\s+\(.+\)/g)) {
      out += (await git(['submodule', 'update', '--', m[1]!], 'git submodule update failed.')).stdout;
      log.info(`Initialized '${source.name}' submodule at '${m[1]}' with git.`);
    }
    return out;
  }

  const wc: WorkingCopy = {
    source,
    async checkout(opts, log) {
      if (!existsSync(path)) return clone(opts, log);
      if (shouldUpdate(source, opts)) return wc.update(opts, log);
      if (await wc.matches()) log.info(`Skipped checkout of existing package '${source.name}'.`);
      else log.warn(`Checkout URL for existing package '${source.name}' differs. Expected '${source.url}'.`);
      return '';
    },
    async update(opts, log) {
      if (!(await wc.matches())) log.warn(`Can't update package '${source.name}' because its URL doesn't match.`);
      if ((await wc.status()).status !== 'clean' && !opts.force) throw checkoutError(`Can't update package '${source.name}' because it's dirty.`, 'Commit or stash the changes, or update with force (always-checkout = force, `develop update -f`).');
      log.info(`Updated '${source.name}' with git.`);
      let out = (await git(['fetch'], `git fetch of '${source.name}' failed.`)).stdout;
      if (rev !== undefined) out += await switchBranch(log, false);
      else if (o.branch !== undefined) {
        out += await switchBranch(log, false);
        out += await mergeRemoteBranch(log, false);
      } else {
        // mr.developer goes back to `master`; the remote's default branch is what it means
        const branch = await defaultBranch();
        out += await switchBranch(log, true, branch);
        out += await mergeRemoteBranch(log, true, branch);
      }
      if ((o.submodules ?? opts.submodules) === 'always') out += await initSubmodules(log);
      return out;
    },
    async status() {
      const r = await runTool(tool(path), ['status', '-s', '-b']);
      const lines = r.stdout.trim().split('\n');
      const status: WorkingCopyStatus = lines.length === 1 ? (lines[0]!.includes('ahead') ? 'ahead' : 'clean') : 'dirty';
      return { status, output: r.stdout };
    },
    async matches() {
      const urls = remoteUrls(path) ?? (await remoteUrlsFromGit());
      return urls.includes(source.url);
    },
  };

  async function defaultBranch(): Promise<string> {
    const r = await runTool(tool(path), ['symbolic-ref', '-q', `refs/remotes/${UPSTREAM}/HEAD`]);
    const m = new RegExp(`^refs/remotes/${UPSTREAM}/(.+)$`).exec(r.stdout.trim());
    return m ? m[1]! : 'master';
  }

  async function remoteUrlsFromGit(): Promise<string[]> {
    const r = await runTool(tool(path), ['remote', 'show', '-n', UPSTREAM]);
    if (r.exitCode !== 0) throw checkoutError(`git remote of '${source.name}' failed.\n${r.stderr.trim()}`);
    return r.stdout.split(/\s+/);
  }

  return wc;
}

/**
 * The fetch and push URLs of `origin`, read from the repository's config file
 * (what `git remote show -n origin` prints); undefined when the file cannot be read.
 */
export function remoteUrls(path: string): string[] | undefined {
  const config = readText(join(gitDir(path) ?? '', 'config'));
  if (config === undefined) return undefined;
  const urls: string[] = [];
  let inOrigin = false;
  for (const raw of config.split('\n')) {
    const line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/.exec(line);
    if (header) {
      inOrigin = header[1]!.toLowerCase() === 'remote' && header[2] === UPSTREAM;
      continue;
    }
    const m = inOrigin ? /^(url|pushurl)\s*=\s*(.*)$/i.exec(line) : null;
    if (m) urls.push(unquote(m[2]!));
  }
  return urls.length ? urls : undefined;
}

// --- internal ---

// `.git` is a directory, or a file `gitdir: …` (worktrees, submodules) whose config sits in its commondir.
function gitDir(path: string): string | undefined {
  const dotGit = join(path, '.git');
  const link = readText(dotGit);
  if (link === undefined) return existsSync(dotGit) ? dotGit : undefined;
  const m = /^gitdir:\s*(.+)$/m.exec(link);
  if (!m) return undefined;
  const dir = isAbsolute(m[1]!.trim()) ? m[1]!.trim() : join(path, m[1]!.trim());
  const common = readText(join(dir, 'commondir'))?.trim();
  return common ? (isAbsolute(common) ? common : join(dir, common)) : dir;
}

function unquote(value: string): string {
  const v = value.replace(/\s+[#;].*$/, '').trim();
  return v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1).replace(/\\(["\\])/g, '$1') : v;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
