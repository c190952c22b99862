// Where the tests of each egg are, read in the buildout's environment by one
// Python process: an editable (develop) distribution's source directories (the
// paths of its .pth files, else its project root), as zc.recipe.testrunner 5
// finds them; for an installed distribution, its own package directories in
// site-packages, each with its dotted name (`--package-path DIR PACKAGE`): the
// Python recipe points zope.testrunner at the egg's own directory, which a
// shared site-packages does not have.
import { BuildoutError } from '../../errors.js';
import type { PythonEnv } from '../../python/types.js';

export interface DistLocations {
  /** the source directories of an editable install: its .pth paths, else its project root */
  editable?: string[];
  /** the paths its .pth files add to sys.path (none for an install through an import hook) */
  pth?: string[];
  /** [directory, dotted package name] of an installed distribution's own packages */
  packages?: [string, string][];
}

export interface Locations {
  /** by the names asked for (a name that is not installed is missing) */
  dists: Record<string, DistLocations>;
  /** the .pth paths of every editable install of the environment, by .pth file name */
  editablePth: string[];
}

export async function distLocations(env: PythonEnv, names: readonly string[]): Promise<Locations> {
  const { runPython } = await import('../../python/spawn.js');
  const r = await runPython(env.python, ['-I', '-c', PROBE], { input: JSON.stringify(names) });
  if (r.exitCode !== 0) throw new BuildoutError('MetadataError', `Could not find the test directories of ${names.join(', ')} in ${env.prefix}:\n${r.stderr.trim().split('\n').slice(-5).join('\n')}`);
  return JSON.parse(r.stdout) as Locations;
}

const PROBE = String.raw`
import json, os, re, sys
from importlib import metadata
from urllib.parse import urlparse, unquote

def editable_root(d):
    text = d.read_text("direct_url.json")
    if not text:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not data.get("dir_info", {}).get("editable"):
        return None
    url = urlparse(data.get("url", ""))
    return unquote(url.path) if url.scheme == "file" else None

def pth_paths(d, by_file=None):
    out = []
    for f in d.files or ():
        if not str(f).endswith(".pth"):
            continue
        if by_file is not None:
            by_file.setdefault(os.path.basename(str(f)), [])
        pth = str(d.locate_file(f))
        try:
            lines = open(pth).read().splitlines()
        except OSError:
            continue
        for line in lines:
            line = line.strip()
            if line and not line.startswith("#") and not line.startswith("import "):
                p = os.path.abspath(os.path.join(os.path.dirname(pth), line))
                out.append(p)
                if by_file is not None:
                    by_file[os.path.basename(str(f))].append(p)
    return out

NAMESPACE = re.compile(r"declare_namespace|extend_path")

def own_packages(d):
    base = str(d.locate_file(""))
    inits = set()
    for f in d.files or ():
        parts = f.parts
        if parts and parts[-1] == "__init__.py" and not any(p.endswith((".dist-info", ".data", ".egg-info")) or p == "__pycache__" or p == ".." for p in parts):
            inits.add(tuple(parts[:-1]))
    if not inits:
        top = d.read_text("top_level.txt") or ""
        inits = {(t,) for t in top.split() if os.path.isfile(os.path.join(base, t, "__init__.py"))}
    def is_namespace(pkg):
        try:
            return bool(NAMESPACE.search(open(os.path.join(base, *pkg, "__init__.py")).read()))
        except OSError:
            return False
    roots = []
    def visit(pkg):
        if is_namespace(pkg):
            for child in sorted(p for p in inits if len(p) == len(pkg) + 1 and p[:len(pkg)] == pkg):
                visit(child)
        else:
            roots.append(pkg)
    for pkg in sorted(inits):
        if pkg[:-1] not in inits:
            visit(pkg)
    return [[os.path.join(base, *p), ".".join(p)] for p in roots]

result = {}
for name in json.loads(sys.stdin.read()):
    try:
        d = metadata.distribution(name)
    except metadata.PackageNotFoundError:
        continue
    root = editable_root(d)
    if root is not None:
        pth = pth_paths(d)
        result[name] = {"editable": pth or [root], "pth": pth}
    else:
        result[name] = {"packages": own_packages(d)}
by_file = {}
for d in metadata.distributions():
    if editable_root(d) is not None:
        pth_paths(d, by_file)
editable_pth = []
for f in sorted(by_file):
    editable_pth.extend(p for p in by_file[f] if p not in editable_pth)
print(json.dumps({"dists": result, "editablePth": editable_pth}))
`;
