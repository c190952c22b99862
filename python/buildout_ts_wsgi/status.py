"""What `bin/instance status` says about the server: the `[server:main]` `use`
of wsgi.ini, the module that serves it, and for bjoern whether its C
extension is loaded in the running process (read from /proc/<pid>/maps, what
the Plone training checks with `pmap`)."""
from __future__ import annotations

import os

# server distribution (or our own) -> the module that does the serving
_MODULES = {
    "buildout-ts-wsgi": "waitress",
    "buildout_ts_wsgi": "waitress",
    "plone.recipe.zope2instance": "waitress",
    "waitress": "waitress",
    "dataflake.wsgi.bjoern": "bjoern",
    "dataflake.wsgi.cheroot": "cheroot",
    "dataflake.wsgi.werkzeug": "werkzeug",
    "gunicorn": "gunicorn",
    "bjoern": "bjoern",
    "cheroot": "cheroot",
    "werkzeug": "werkzeug",
    "granian": "granian",
}
# (distribution, entry point) served by another module than the distribution's main one
_ENTRY_MODULES = {
    ("buildout-ts-wsgi", "granian"): "granian",
    ("buildout_ts_wsgi", "granian"): "granian",
}


def describe_server(wsgi_ini, pid):
    """Lines describing the server of wsgi_ini running as pid."""
    from .config import read_server_section
    from .errors import LaunchError
    from .resolve import parse_egg_spec

    try:
        use, _conf = read_server_section(wsgi_ini, "server:main", {})
    except LaunchError as e:
        return ["server: unknown (%s)" % e]
    except OSError as e:
        from .errors import os_error_message

        return ["server: unknown (%s)" % os_error_message(e)]
    spec = parse_egg_spec(use or "")
    module = _ENTRY_MODULES.get(spec) or _MODULES.get(spec[0]) if spec else None
    if module is None and spec is not None:
        module = _entry_point_module(*spec)
    lines = ["server: %s (use = %s)" % (_module_and_version(module), use or "(none)")]
    started = _cmdline(pid)
    # (a process title set by the server is one string: granian with setproctitle)
    if started is not None and wsgi_ini not in started and wsgi_ini not in " ".join(started):
        lines.append("note: process %d was not started with %s" % (pid, wsgi_ini))
    if module == "granian":
        from .granian_server import worker_pids

        workers = worker_pids(pid)
        lines.append("granian workers (each loads the application): %s"
                     % (", ".join("pid %d" % w for w in workers) or "none yet"))
    if module == "bjoern":
        lib = loaded_library(pid, "_bjoern")
        if lib:
            lines.append("bjoern's C extension is loaded in process %d: %s" % (pid, lib))
        else:
            lines.append("bjoern's C extension is NOT loaded in process %d (still starting, or not "
                         "served by bjoern)" % pid)
    return lines


def loaded_library(pid, prefix):
    """The path of a shared library whose file name starts with prefix, mapped into
    the process, or None."""
    try:
        with open("/proc/%d/maps" % pid) as f:
            for line in f:
                path = line.split(None, 5)[5].strip() if len(line.split(None, 5)) == 6 else ""
                if os.path.basename(path).startswith(prefix):
                    return path
    except OSError:
        return None
    return None


def _module_and_version(module):
    if not module:
        return "unknown module"
    from importlib import metadata

    try:
        return "%s %s" % (module, metadata.version(module))
    except metadata.PackageNotFoundError:
        return module


def _entry_point_module(dist, name):
    from importlib import metadata

    try:
        for ep in metadata.distribution(dist).entry_points:
            if ep.name == name and ep.group in ("paste.server_runner", "paste.server_factory"):
                return ep.value.split(":", 1)[0]
    except metadata.PackageNotFoundError:
        return None
    return None


def _cmdline(pid):
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            return f.read().decode("utf-8", "replace").split("\0")
    except OSError:
        return None
