"""Checks a generated zope.conf and wsgi.ini against the installed Zope, at build time.

    python -m buildout_ts_wsgi.confcheck [--zope-conf FILE] [--wsgi-ini FILE] [--path DIR]...
                                         [--zcml-package PKG]...

Prints one JSON object: {"zope_conf": RESULT, "wsgi_ini": RESULT, "zcml": RESULT}, each RESULT being
{"status": "ok"} or {"status": "skipped", "reason": ...} or
{"status": "error", "message": ..., "line": N or null, "section": ..., "use": ...}.
zope.conf is loaded exactly as Zope loads it (Zope2.Startup.options.ZopeWSGIOptions: ZConfig
with Zope's WSGI schema); wsgi.ini's `use =` values are resolved as PasteDeploy resolves them
(entry points looked up and imported, no factory called), [server:main] as our launcher does;
the packages that etc/package-includes includes must be importable (Zope loads them at start).
Exit status 0 whatever was found; the caller decides.
"""
from __future__ import annotations

import argparse
import json
import os
import sys


def check_zope_conf(path):
    try:
        from Zope2.Startup.options import ZopeWSGIOptions
    except ImportError as e:
        return {"status": "skipped", "reason": "Zope is not importable: %s" % e}
    import ZConfig
    import tempfile

    # the control script provides it (zeo-client-client's default `var $(ZEO_TMP)`)
    os.environ.setdefault("ZEO_TMP", tempfile.gettempdir())
    try:
        ZopeWSGIOptions(configfile=path)()
    except ZConfig.ConfigurationError as e:
        line = getattr(e, "lineno", None)
        url = getattr(e, "url", None) or ""
        # an error inside an %include-d file names that file, not ours
        other = url if url and not url.endswith(os.path.abspath(path)) else None
        return {"status": "error", "message": getattr(e, "message", None) or str(e), "line": line, "file": other}
    except Exception as e:  # a datatype raising something else (ImportError of a %import, ...)
        return {"status": "error", "message": "%s: %s" % (type(e).__name__, e), "line": None}
    return {"status": "ok"}


def check_wsgi_ini(path):
    try:
        from paste.deploy import loadwsgi
    except ImportError as e:
        return {"status": "skipped", "reason": "PasteDeploy is not importable: %s" % e}
    import configparser

    cp = configparser.ConfigParser(interpolation=None, strict=False)
    try:
        with open(path, encoding="utf-8") as f:
            cp.read_file(f)
    except (OSError, configparser.Error) as e:
        return {"status": "error", "message": str(e), "line": None}
    uri = "config:" + os.path.abspath(path)
    if cp.has_section("server:main"):
        use = cp.get("server:main", "use", fallback=None)
        problem = _check_server(uri, use, loadwsgi)
        if problem:
            problem.update(section="server:main", use=use)
            return problem
    # each `use = egg:...` on its own, so that a failure names its section
    for section, use, kind in _uses(cp):
        try:
            loadwsgi.loadcontext(kind(loadwsgi), use, relative_to=os.path.dirname(os.path.abspath(path)))
        except Exception as e:
            return _failed(e, section, use)
    try:
        loadwsgi.loadcontext(loadwsgi.APP, uri, name="main")
    except Exception as e:
        return {"status": "error", "message": "%s: %s" % (type(e).__name__, e), "section": "pipeline:main"}
    return {"status": "ok"}


def _uses(cp):
    """(section, egg spec, object type) for every `egg:` filter and application that
    [pipeline:main] (or [app:main]) reaches; sections nothing uses are not loaded by Zope either."""
    app = lambda lw: lw.APP  # noqa: E731
    flt = lambda lw: lw.FILTER  # noqa: E731
    if cp.has_section("pipeline:main"):
        items = cp.get("pipeline:main", "pipeline", fallback="").split()
        members = [(item, app if i == len(items) - 1 else flt) for i, item in enumerate(items)]
    else:
        members = [("main", app)]
    for item, kind in members:
        if item.startswith("egg:"):
            yield "pipeline:main", item, kind
            continue
        section = ("app:" if kind is app else "filter:") + item
        use = cp.get(section, "use", fallback="").strip() if cp.has_section(section) else ""
        if use.startswith("egg:"):
            yield section, use, kind


def _failed(err, section, use):
    out = {"status": "error", "message": "%s: %s" % (type(err).__name__, err), "section": section, "use": use}
    dist = use[4:].partition("#")[0]
    from importlib import metadata

    try:
        metadata.distribution(dist)
    except metadata.PackageNotFoundError:
        out["missing"] = [dist]
    return out


def _check_server(uri, use, loadwsgi):
    try:
        from . import resolve
    except ImportError:  # pragma: no cover - our package is always next to this module
        resolve = None
    spec = resolve.parse_egg_spec(use) if resolve and use else None
    if resolve and use and resolve.our_factory(use) is not None:
        fallback = resolve._FALLBACKS.get(spec) if spec else None
        if fallback is not None and not _importable(fallback[1]):
            return {"status": "error", "message": "use = %s needs the module %s, which is not installed" % (use, fallback[1]),
                    "missing": fallback[2]}
        if spec and spec[1] == "granian":
            return _check_granian(uri[len("config:"):], use)
        return None
    try:
        loadwsgi.loadcontext(loadwsgi.SERVER, uri, name="main")
    except Exception as e:
        out = {"status": "error", "message": "%s: %s" % (type(e).__name__, e)}
        if spec and resolve and not resolve.dist_installed(spec[0]):
            out["missing"] = [spec[0]]
        return out
    return None


def _check_granian(path, use):
    """granian's keys as the launcher will check them (a typo fails the build, not the start)."""
    from .config import read_server_section
    from .errors import LaunchError
    from .granian_options import granian_options

    if not _importable("granian"):
        return {"status": "error", "message": "use = %s needs the module granian, which is not installed" % use,
                "missing": ["granian"]}
    try:
        granian_options(read_server_section(path, "server:main", {})[1])
    except LaunchError as e:
        return {"status": "error", "message": str(e)}
    return None


def _importable(module):
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m buildout_ts_wsgi.confcheck")
    ap.add_argument("--zope-conf")
    ap.add_argument("--wsgi-ini")
    ap.add_argument("--path", action="append", default=[])
    ap.add_argument("--zcml-package", action="append", default=[])
    args = ap.parse_args(argv)
    sys.path[0:0] = args.path
    out = {}
    if args.zope_conf:
        out["zope_conf"] = check_zope_conf(args.zope_conf)
    if args.wsgi_ini:
        out["wsgi_ini"] = check_wsgi_ini(args.wsgi_ini)
    missing = [p for p in args.zcml_package if not _importable(p)]
    if args.zcml_package:
        out["zcml"] = {"status": "error", "message": "not importable: " + ", ".join(missing), "missing": missing} if missing else {"status": "ok"}
    sys.stdout.write(json.dumps(out) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
