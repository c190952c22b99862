// One pip invocation for all of a buildout's requirements, and turning pip's
// failures into a short BuildoutError (the full log goes to a file).
import { readFileSync, writeFileSync, rmSync } from 'node:fs';
import { BuildoutError } from '../errors.js';
import { runPython } from './spawn.js';

export interface PipInstallPlan {
  python: string;
  requirements: string[];
  /** absolute develop folders, installed editable */
  develop: string[];
  /** path of the constraints file (written by the caller), if any */
  constraintsFile?: string;
  findLinks: string[];
  index?: string;
  offline: boolean;
  /** zc.buildout's newest=true: upgrade the named requirements when the index has newer ones */
  upgrade: boolean;
  /** seconds, from [buildout] socket-timeout */
  timeout?: number;
  /** where the full output goes */
  logFile: string;
  /** a `pip install --report` JSON file to write */
  reportFile?: string;
  dryRun?: boolean;
  onLine?: (line: string) => void;
}

/** One distribution pip installed (from its `--report`). */
export interface ReportedInstall {
  name: string;
  version: string;
  /** a path/URL requirement (develop eggs): never "picked" */
  direct: boolean;
}

export function pipArgs(plan: PipInstallPlan): string[] {
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input'];
  if (plan.offline) args.push('--no-index');
  else if (plan.index) args.push('--index-url', plan.index);
  for (const f of plan.findLinks) args.push('--find-links', f);
  if (plan.constraintsFile) args.push('-c', plan.constraintsFile);
  if (plan.upgrade && !plan.offline) args.push('--upgrade', '--upgrade-strategy', 'only-if-needed');
  // Build back-ends come from the environment, not from an index: develop eggs
  // must build offline (Debian's setuptools with include-site-packages).
  if (plan.develop.length > 0 || plan.offline) args.push('--no-build-isolation');
  if (plan.timeout !== undefined) args.push('--timeout', String(plan.timeout));
  if (plan.reportFile) args.push('--report', plan.reportFile);
  if (plan.dryRun) args.push('--dry-run');
  for (const d of plan.develop) args.push('-e', d);
  args.push(...plan.requirements);
  return args;
}

/** Runs pip; on failure throws a BuildoutError with pip's reason and a hint. */
export async function runPipInstall(plan: PipInstallPlan): Promise<ReportedInstall[]> {
  const args = pipArgs(plan);
  if (plan.reportFile) rmSync(plan.reportFile, { force: true });
  const r = await runPython(plan.python, args, { onLine: plan.onLine && ((l) => plan.onLine!(l)) });
  const log = `$ ${plan.python} ${args.join(' ')}\n\n${r.stdout}\n${r.stderr}\n`;
  writeFileSync(plan.logFile, log);
  if (r.exitCode !== 0) throw pipFailure(`${r.stdout}\n${r.stderr}`, plan);
  return plan.reportFile ? readReport(plan.reportFile) : [];
}

/** Builds the user-facing error from pip's output. Exported for unit tests. */
export function pipFailure(output: string, plan: Pick<PipInstallPlan, 'offline' | 'logFile' | 'findLinks' | 'index'>): BuildoutError {
  const lines = output.split('\n').map((l) => l.trimEnd());
  const missing = new Set<string>();
  const reasons: string[] = [];
  for (const line of lines) {
    const notFound = /No matching distribution found for (\S+)/.exec(line);
    if (notFound) missing.add(notFound[1]!);
    const noVersion = /Could not find a version that satisfies the requirement (\S+)(?: \(from versions: ([^)]*)\))?/.exec(line);
    if (noVersion) missing.add(noVersion[1]!);
    if (/^ERROR: /.test(line) && !reasons.includes(line.slice(7)) && !/^(No matching distribution|Could not find a version)/.test(line.slice(7))) reasons.push(line.slice(7));
  }
  const where = `The full pip log is in ${plan.logFile}.`;
  if (missing.size > 0) {
    const names = [...missing];
    const available = /from versions: ([^)]+)\)/.exec(output)?.[1];
    const message =
      `Couldn't find a distribution for ${names.map((n) => `'${n}'`).join(', ')}` +
      (available && available !== 'none' ? ` (available versions: ${available})` : '') +
      `. ${where}`;
    const hint = plan.offline
      ? 'Running offline (-o / offline = true): only find-links and what is already installed can be used. Add a folder with the distribution to [buildout] find-links, run without -o, or check the name and its [versions] pin.'
      : `Check the name and its [versions] pin; if the index (${plan.index ?? 'PyPI'}) is unreachable, add a folder or URL with the distribution to [buildout] find-links, or run offline (-o) with everything in find-links.`;
    return new BuildoutError('DistributionNotFound', message, { hint });
  }
  if (output.includes('conflicting dependencies') || output.includes('ResolutionImpossible')) {
    const detail = lines.filter((l) => /^\s+(The conflict is caused by|.* depends on |The user requested)/.test(l)).map((l) => l.trim());
    return new BuildoutError('VersionConflict', `The requirements conflict:\n${detail.map((l) => `  ${l}`).join('\n')}\n${where}`, {
      hint: 'Loosen or change the [versions] pins named above.',
    });
  }
  const built = buildFailure(lines);
  if (built) {
    return new BuildoutError('BuildError', `Building ${built.project} failed: ${built.error}\n${where}`, {
      hint: /bdist_wheel/.test(built.error)
        ? "The environment lacks the 'wheel' package that setuptools needs to build it: set include-site-packages = true (Debian: python3-wheel), or add a wheel distribution to find-links."
        : 'The build output is in the log; a build dependency may be missing from the environment (develop eggs are built without isolation, with what the environment has).',
    });
  }
  const first = reasons.length > 0 ? reasons.slice(0, 3).join('\n  ') : lines.filter((l) => l.trim()).slice(-5).join('\n  ');
  return new BuildoutError('InstallError', `Installing the Python requirements failed:\n  ${first}\n${where}`, {
    hint: plan.offline ? 'Running offline: a build back-end or a dependency may be missing from the environment.' : undefined,
  });
}

// --- internal ---

// A failed build of a project (setup.py/pyproject back-end error): which project, and its last `error:` line.
function buildFailure(lines: string[]): { project: string; error: string } | undefined {
  if (!lines.some((l) => /subprocess-exited-with-error|metadata-generation-failed|Failed to build/.test(l))) return undefined;
  const errors = lines.map((l) => /^\s+error: (.*)$/.exec(l)?.[1]).filter((e): e is string => !!e && !/^subprocess-exited-with-error/.test(e));
  const error = errors.at(-1) ?? 'see the log';
  let project = 'a distribution';
  for (const l of lines) {
    const m = /^(?:Obtaining|Processing) (\S+)/.exec(l) ?? /^\s*(?:Building (?:wheel|editable) for) (\S+)/.exec(l);
    if (m) project = m[1]!.replace(/^file:\/\//, '');
    if (/subprocess-exited-with-error/.test(l)) break;
  }
  return { project, error };
}

interface PipReport {
  install?: { metadata?: { name?: string; version?: string }; is_direct?: boolean }[];
}

function readReport(file: string): ReportedInstall[] {
  let report: PipReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as PipReport;
  } catch {
    return [];
  }
  return (report.install ?? [])
    .filter((i) => i.metadata?.name && i.metadata.version)
    .map((i) => ({ name: i.metadata!.name!, version: i.metadata!.version!, direct: i.is_direct === true }));
}
