// What is installed in the buildout's environment: every distribution's
// version, console_scripts entry points and requirements (markers evaluated),
// read with importlib.metadata by one Python process per environment state and
// cached next to the state file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BuildoutError } from '../errors.js';
import { normaliseName, parseRequirement } from './requirements.js';
import { runPython } from './spawn.js';
import type { PythonEnv } from './types.js';
import { writeFileAtomic } from '../state/atomic-write.js';

export interface DistInfo {
  name: string;
  version: string;
  /** console_scripts: script name → `module:attr` */
  scripts: Record<string, string>;
  /** [key, extras] of the unconditional requirements */
  requires: [string, string[]][];
  /** requirements added by each extra */
  extras: Record<string, [string, string[]][]>;
}

export interface EnvMetadata {
  /** by normalised name */
  dists: Record<string, DistInfo>;
}

const CACHE_FILE = 'buildout-ts-metadata.json';
const memo = new Map<string, EnvMetadata>();

/** The environment's distributions; cached per environment state (no process when cached). */
export async function envMetadata(env: PythonEnv): Promise<EnvMetadata> {
  const key = env.stateKey ?? '';
  const cacheFile = join(env.prefix, CACHE_FILE);
  const hit = memo.get(`${env.prefix}\0${key}`) ?? readCache(cacheFile, key);
  if (hit) return hit;
  const r = await runPython(env.python, ['-c', PROBE]);
  if (r.exitCode !== 0) throw new BuildoutError('MetadataError', `Could not list the distributions of ${env.prefix}:\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  const meta = JSON.parse(r.stdout) as EnvMetadata;
  if (key) writeFileAtomic(cacheFile, JSON.stringify({ key, meta }));
  memo.set(`${env.prefix}\0${key}`, meta);
  return meta;
}

/**
 * The named requirements (with extras) and, with `closure`, everything they
 * depend on, in a stable order (requested first). Throws for one that is not installed;
 * `where` names the part and option that asked for them (the error's location).
 */
export function resolveDists(meta: EnvMetadata, requirements: readonly string[], closure: boolean, where: { section?: string; option?: string } = {}): DistInfo[] {
  const out = new Map<string, DistInfo>();
  const queue: [string, string[], string][] = [];
  for (const r of requirements) {
    const p = parseRequirement(r);
    if (!p) throw new BuildoutError('InvalidRequirement', `Not a valid requirement: '${r}'`, where);
    queue.push([p.key, p.extras, p.name]);
  }
  const missing: string[] = [];
  const requested = queue.length;
  for (let i = 0; i < queue.length; i++) {
    const [key, extras, name] = queue[i]!;
    const dist = meta.dists[key];
    if (!dist) {
      if (i < requested) missing.push(name);
      continue;
    }
    const seenBefore = out.has(key);
    out.set(key, dist);
    if (!closure || (seenBefore && extras.length === 0)) continue;
    const deps = [...dist.requires, ...extras.flatMap((e) => dist.extras[normaliseName(e)] ?? dist.extras[e] ?? [])];
    for (const [k, ex] of deps) if (!out.has(k) || ex.length) queue.push([k, ex, k]);
  }
  if (missing.length > 0) {
    throw new BuildoutError('MissingDistribution', `These distributions are not installed in the buildout's environment: ${missing.join(', ')}`, {
      hint: "The part's requirements are installed before recipes run; check the eggs option and that the install lifecycle passed them on.",
      ...where,
    });
  }
  return [...out.values()];
}

// --- internal ---

function readCache(file: string, key: string): EnvMetadata | undefined {
  if (!key) return undefined;
  try {
    const c = JSON.parse(readFileSync(file, 'utf8')) as { key: string; meta: EnvMetadata };
    return c.key === key ? c.meta : undefined;
  } catch {
    return undefined;
  }
}

// Lists distributions first-on-path-wins; requirement markers are evaluated
// with `packaging` (the environment's, or the copy vendored in pip).
const PROBE = `
import json, re, sys
from importlib import metadata
try:
    from packaging.requirements import Requirement
except ImportError:
    try:
        from pip._vendor.packaging.requirements import Requirement
    except ImportError:
        Requirement = None  # an environment made by uv has neither: see SimpleMarker

class SimpleMarker:
    """PEP 508 markers without packaging: parsed as a Python expression (ast), versions compared as numbers."""
    VERSIONS = {"python_version", "python_full_version", "implementation_version"}

    def __init__(self, text):
        import ast
        self.tree = ast.parse(text.replace("~=", ">=").replace("===", "=="), mode="eval").body

    def evaluate(self, extra_env):
        import os, platform
        env = {"python_version": "%d.%d" % sys.version_info[:2], "python_full_version": platform.python_version(),
               "os_name": os.name, "sys_platform": sys.platform, "platform_release": platform.release(),
               "platform_system": platform.system(), "platform_version": platform.version(),
               "platform_machine": platform.machine(), "platform_python_implementation": platform.python_implementation(),
               "implementation_name": sys.implementation.name, "implementation_version": platform.python_version(), "extra": ""}
        env.update(extra_env)
        return self._eval(self.tree, env)

    def _eval(self, n, env):
        import ast, operator
        if isinstance(n, ast.BoolOp):
            vals = (self._eval(v, env) for v in n.values)
            return all(vals) if isinstance(n.op, ast.And) else any(vals)
        if isinstance(n, ast.Compare) and len(n.ops) == 1:
            lname = getattr(n.left, "id", None)
            rname = getattr(n.comparators[0], "id", None)
            l, r = self._value(n.left, env), self._value(n.comparators[0], env)
            if lname == "extra" or rname == "extra":
                l, r = key(l), key(r)
            op = n.ops[0]
            if isinstance(op, ast.In):
                return l in r
            if isinstance(op, ast.NotIn):
                return l not in r
            if (lname in self.VERSIONS or rname in self.VERSIONS) and not isinstance(op, (ast.Eq, ast.NotEq)):
                l, r = self._version(l), self._version(r)
            ops = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le, ast.Gt: operator.gt, ast.GtE: operator.ge}
            return ops[type(op)](l, r)
        raise ValueError("unsupported marker")

    def _value(self, n, env):
        import ast
        if isinstance(n, ast.Name):
            return env[n.id]
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            return n.value
        raise ValueError("unsupported marker value")

    @staticmethod
    def _version(v):
        return tuple(int(x) for x in re.findall(r"\d+", v)[:3])

def key(n):
    return re.sub(r"[-_.]+", "-", n).lower()

def parse(spec):
    if Requirement is not None:
        try:
            r = Requirement(spec)
            return key(r.name), sorted(r.extras), r.marker
        except Exception:
            return None
    head, _, marker = spec.partition(";")
    m = re.match(r"\\s*([A-Za-z0-9][A-Za-z0-9._-]*)\\s*(?:\\[([^\\]]*)\\])?", head)
    if not m:
        return None
    try:
        parsed = SimpleMarker(marker.strip()) if marker.strip() else None
    except Exception:
        return None
    return key(m.group(1)), [e.strip() for e in (m.group(2) or "").split(",") if e.strip()], parsed

def applies(marker, extra):
    if marker is None:
        return extra == ""
    try:
        return marker.evaluate({"extra": extra})
    except Exception:
        return False

def describe(d):
    name = d.metadata["Name"]
    if not name or key(name) in dists:
        return
    reqs = [p for p in (parse(s) for s in (d.requires or [])) if p]
    extras = {}
    for e in d.metadata.get_all("Provides-Extra") or []:
        extras[key(e)] = [[k, x] for (k, x, m) in reqs if m is not None and applies(m, key(e)) and not applies(m, "")]
    dists[key(name)] = {
        "name": name,
        "version": d.version,
        "scripts": {ep.name: ep.value for ep in d.entry_points if ep.group == "console_scripts"},
        "requires": [[k, x] for (k, x, m) in reqs if applies(m, "")],
        "extras": extras,
    }
dists = {}
for d in metadata.distributions():
    try:
        describe(d)
    except Exception:
        pass  # a broken distribution's metadata must not hide the others
print(json.dumps({"dists": dists}))
`;
