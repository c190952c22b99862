// The pip installer, the fallback when uv cannot be had: `python -m venv` +
// ensurepip, a `pip install --dry-run --report` to learn what would be installed,
// then the same command for real. pip cannot install from its cache offline:
// offline, only find-links are used (documented in docs/differences.md).
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Problem } from './install-failure.js';
import type { InstallPlan, Installer, LockedResolution, Outcome, Resolution } from './installer.js';
import { DEFAULT_INDEX, fileHashes } from './index-files.js';
import type { LockedPackage } from '../lock/lock-file.js';
import type { PythonFacts } from './types.js';
import { normaliseName } from './requirements.js';
import { runPython } from './spawn.js';
import { createVenv } from './venv.js';

export const PIP_REPORT = 'pip-report.json';

/** `facts`: the interpreter pip resolves for (a lock written with pip holds that platform only). */
export function pipInstaller(facts?: PythonFacts): Installer {
  return {
    name: 'pip',
    description: "pip (the environment's own, from ensurepip)",
    createVenv: (base, prefix, includeSitePackages, onLine) => createVenv(base, prefix, includeSitePackages, onLine),
    async resolve(plan) {
      await ensurePip(plan.python);
      const report = join(plan.workDir, PIP_REPORT);
      rmSync(report, { force: true });
      const r = await runPython(plan.python, [...pipArgs(plan), '--dry-run', '--report', report], runOpts(plan));
      if (r.exitCode !== 0) return failed(r);
      return { ok: true, value: readReport(report) };
    },
    async install(plan, _resolution, repair) {
      const r = await runPython(plan.python, [...pipArgs(plan), ...(repair ? ['--force-reinstall', '--no-deps'] : [])], runOpts(plan));
      if (r.exitCode !== 0) return failed(r);
      return { ok: true, value: undefined };
    },
    async uninstall(python, names) {
      if (names.length) await runPython(python, ['-m', 'pip', 'uninstall', '--yes', ...names]);
    },
    async lock(plan) {
      // pip has no preferences: it resolves afresh, for this platform only
      await ensurePip(plan.python);
      const report = join(plan.workDir, PIP_REPORT);
      rmSync(report, { force: true });
      const r = await runPython(plan.python, [...pipArgs(plan), '--dry-run', '--ignore-installed', '--report', report], runOpts(plan));
      if (r.exitCode !== 0) return failed(r);
      return { ok: true, value: await lockedFromReport(report, plan, facts) };
    },
    async installLocked(plan, file, repair) {
      const bare = { ...plan, requirements: [], develop: [], constraints: [] };
      const steps = [[...pipArgs(bare), '--no-deps', '--require-hashes', '-r', file, ...(repair ? ['--force-reinstall'] : [])], ...(plan.develop.length ? [[...pipArgs({ ...bare, develop: plan.develop }), '--no-deps']] : [])];
      await ensurePip(plan.python);
      for (const args of steps) {
        const r = await runPython(plan.python, args, runOpts(plan));
        if (r.exitCode !== 0) return failed(r);
      }
      return { ok: true, value: undefined };
    },
  };
}

export function pipArgs(plan: InstallPlan): string[] {
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', '--cache-dir', plan.cacheDir];
  if (plan.offline || plan.noIndex) args.push('--no-index');
  else if (plan.index) args.push('--index-url', plan.index);
  for (const f of plan.findLinks) args.push('--find-links', f);
  if (plan.constraints.length) args.push('-c', join(plan.workDir, 'constraints.txt'));
  if (plan.newest && !plan.offline) args.push('--upgrade', '--upgrade-strategy', 'only-if-needed');
  if (!plan.preferFinal) args.push('--pre');
  // offline there is no index to fetch build back-ends from: use the environment's
  if (plan.offline) args.push('--no-build-isolation');
  if (plan.timeoutSec !== undefined) args.push('--timeout', String(plan.timeoutSec));
  for (const d of plan.develop) args.push('-e', d);
  args.push(...plan.requirements);
  return args;
}

/** pip's output → problems (exported for unit tests). */
export function pipProblems(output: string): Problem[] {
  const lines = output.split('\n').map((l) => l.trimEnd());
  const problems: Problem[] = [];
  if (lines.some((l) => l.includes('DO NOT MATCH THE HASHES'))) {
    // `    name==1.0 from URL (...):` then `Expected sha256 …` / `Got …`
    for (let i = 0; i < lines.length; i++) {
      const m = /^\s+(\S+==\S+) from /.exec(lines[i]!);
      if (!m) continue;
      const got = lines.slice(i + 1, i + 12).map((l) => /^\s+Got\s+([0-9a-f]{64})/.exec(l)?.[1]).find(Boolean);
      problems.push({ kind: 'hash', dist: m[1]!, ...(got ? { got } : {}) });
    }
    if (problems.length) return problems;
  }
  for (const line of lines) {
    const m = /Could not find a version that satisfies the requirement ([A-Za-z0-9][A-Za-z0-9._-]*)(\S*)(?: \(from versions: ([^)]*)\))?/.exec(line);
    if (!m) continue;
    const available = m[3] && m[3] !== 'none' ? m[3] : undefined;
    problems.push(available || m[2] ? { kind: 'no-version', name: m[1]!, spec: m[2] ?? '', ...(available ? { available: `available: ${available}` } : {}) } : { kind: 'not-found', name: m[1]!, transitive: false });
  }
  const net = lines.map((l) => /Failed to establish a new connection: ([^'"]+)|(?:SSLError|ProxyError|ReadTimeoutError)\((.*)\)/.exec(l)).find(Boolean);
  if (net) problems.unshift({ kind: 'network', cause: (net[1] ?? net[2] ?? '').trim() });
  if (problems.length) return problems;
  if (output.includes('ResolutionImpossible')) {
    return [{ kind: 'conflict', detail: lines.filter((l) => /^\s+(The conflict is caused by|.* depends on |The user requested)/.test(l)).map((l) => l.trim()) }];
  }
  const built = buildFailure(lines);
  if (built) return [built];
  const errors = lines.filter((l) => /^ERROR: /.test(l)).map((l) => l.slice(7));
  return [{ kind: 'other', detail: errors.length ? errors.slice(0, 3) : lines.filter((l) => l.trim()).slice(-5) }];
}

// --- internal ---

function runOpts(plan: InstallPlan) {
  return { ...(plan.onLine ? { onLine: (l: string) => plan.onLine!(l) } : {}), ...(plan.onSpawn ? { onSpawn: plan.onSpawn } : {}) };
}

function failed(r: { stdout: string; stderr: string }): Outcome<never> {
  const output = `${r.stdout}\n${r.stderr}`;
  return { ok: false, problems: pipProblems(output), output };
}

// An environment made by uv has no pip: add the interpreter's bundled one (offline).
async function ensurePip(python: string): Promise<void> {
  if ((await runPython(python, ['-c', 'import pip'])).exitCode === 0) return;
  await runPython(python, ['-Im', 'ensurepip', '--default-pip']);
}

// A failed build of a project (setup.py/pyproject back-end error): which project, and its last `error:` line.
function buildFailure(lines: string[]): Problem | undefined {
  if (!lines.some((l) => /subprocess-exited-with-error|metadata-generation-failed|Failed to build/.test(l))) return undefined;
  const errors = lines.map((l) => /^\s+(?:\S+:\d+:\d+: )?(?:fatal )?error: (.*)$/.exec(l)?.[1]).filter((e): e is string => !!e && !/^subprocess-exited-with-error/.test(e));
  const header = lines.map((l) => /fatal error: ([\w/.+-]+\.h): No such file or directory/.exec(l)?.[1]).find(Boolean);
  let dist = 'a distribution';
  for (const l of lines) {
    const m = /^(?:Obtaining|Processing) (\S+)/.exec(l) ?? /^\s*(?:Building (?:wheel|editable) for) (\S+)/.exec(l) ?? /^Collecting (\S+)/.exec(l);
    if (m) dist = m[1]!.replace(/^file:\/\//, '');
    if (/subprocess-exited-with-error/.test(l)) break;
  }
  return { kind: 'build', dist, error: errors.at(-1) ?? 'see the log', ...(header ? { missingHeader: header } : {}) };
}

interface PipReport {
  install?: {
    metadata?: { name?: string; version?: string; requires_dist?: string[] };
    is_direct?: boolean;
    requested?: boolean;
    download_info?: { url?: string; archive_info?: { hash?: string; hashes?: { sha256?: string } }; dir_info?: { editable?: boolean } };
  }[];
}

// The report's set with hashes: the file pip chose, and every other file of that version
// the index and the find-links folders offer (other platforms' wheels, the sdist).
async function lockedFromReport(file: string, plan: InstallPlan, facts: PythonFacts | undefined): Promise<LockedResolution> {
  let report: PipReport = {};
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as PipReport;
  } catch {
    // no report: nothing resolved
  }
  const sources = {
    ...(plan.offline || plan.noIndex ? {} : { index: plan.index ?? DEFAULT_INDEX }),
    folders: plan.findLinks.filter((f) => !/^[a-z+]+:\/\//i.test(f) || f.startsWith('file:')).map((f) => f.replace(/^file:\/\//, '')),
    ...(plan.timeoutSec !== undefined ? { timeoutSec: plan.timeoutSec } : {}),
  };
  const items = (report.install ?? []).filter((i) => i.metadata?.name && i.metadata.version && !i.download_info?.dir_info);
  // a few index pages at a time (a Plone has ~250 distributions)
  const packages: LockedPackage[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) {
      const { metadata, download_info } = items[i]!;
      const archive = download_info?.archive_info;
      const chosen = archive?.hashes?.sha256 ?? /^sha256=([0-9a-f]{64})$/.exec(archive?.hash ?? '')?.[1];
      const hashes = new Set(await fileHashes(metadata!.name!, metadata!.version!, sources).catch(() => [] as string[]));
      if (chosen) hashes.add(`sha256:${chosen}`);
      packages[i] = { name: normaliseName(metadata!.name!), version: metadata!.version!, hashes: [...hashes].sort() };
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const platform = facts ? `${facts.implementation} ${facts.version} ${facts.platform} ${facts.machine}` : 'this platform';
  return { packages, dists: readReport(file).dists, resolution: `${platform} only (pip)` };
}

function readReport(file: string): Resolution {
  let report: PipReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as PipReport;
  } catch {
    return { dists: [] };
  }
  const items = (report.install ?? []).filter((i) => i.metadata?.name && i.metadata.version);
  const requires = new Map(items.map((i) => [normaliseName(i.metadata!.name!), (i.metadata!.requires_dist ?? []).filter((r) => !/extra\s*==/.test(r)).map((r) => normaliseName(/^[A-Za-z0-9._-]+/.exec(r)?.[0] ?? ''))]));
  return {
    dists: items.map((i) => {
      const key = normaliseName(i.metadata!.name!);
      return {
        name: i.metadata!.name!,
        version: i.metadata!.version!,
        direct: i.is_direct === true,
        requested: i.requested === true,
        requiredBy: [...requires].filter(([, deps]) => deps.includes(key)).map(([k]) => k),
      };
    }),
  };
}
