"""`egg:buildout-ts-wsgi#granian`: granian (a Rust HTTP server with a WSGI interface)
serving the application of wsgi.ini.

granian normally imports its application from a module path; here it gets a loader
instead (`target_loader`), which its worker process calls once, after the fork: the
application (Zope, and a ZEO client's I/O thread, which does not survive a fork) is made
in each worker, never in the master. The master is the launcher's process (the pid in the
pid file); the launcher keeps its signals (stopping.py `Stopper.delegate`):

- TERM/INT: granian's graceful stop (its workers stop accepting and answer the running
  requests), within $BUILDOUT_TS_STOP_TIMEOUT; a second signal or the timeout kills the
  workers and ends at once.
- HUP: the same stop, then the launcher re-executes itself (same pid, wsgi.ini and
  zope.conf read again). granian's own HUP (new workers started before the old ones stop)
  would need two processes opening the database at once, which a FileStorage refuses.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import signal
import sys

from .errors import LaunchError, missing_server
from .granian_options import granian_options

log = logging.getLogger("buildout_ts_wsgi")


def granian_factory(global_conf, **kw):
    """paste.server_factory `granian`: checks every key now (before the application loads)."""
    kwargs, http1, http2 = granian_options(kw)
    try:
        from granian.server import Server  # noqa: F401 - importable is all we ask here
    except ImportError:
        raise missing_server("granian", ["granian"]) from None
    _check_extras(kwargs)

    ini = global_conf.get("__file__", "wsgi.ini")

    def serve(app):
        run(app, ini, kwargs, http1, http2)
        return 0

    serve.loads_app_in_worker = True
    return serve


def run(app, ini, kwargs, http1, http2):
    from granian.constants import HTTPModes, Interfaces, Loops, RuntimeModes, TaskImpl
    from granian.http import HTTP1Settings, HTTP2Settings
    from granian.log import LogLevels
    from granian.server import Server

    from .stopping import current_stopper

    kwargs = dict(kwargs)
    for key, enum in (("runtime_mode", RuntimeModes), ("loop", Loops), ("task_impl", TaskImpl),
                      ("http", HTTPModes), ("log_level", LogLevels)):
        if key in kwargs:
            kwargs[key] = enum(kwargs[key])
    if "static_path_mount" in kwargs:
        from pathlib import Path

        kwargs["static_path_mount"] = [Path(p) for p in kwargs["static_path_mount"]]
    if "process_name" in kwargs:
        # bin/instance recognises its server by this word in the process's command line
        kwargs["process_name"] = "%s [buildout_ts_wsgi]" % kwargs["process_name"]
    elif importlib.util.find_spec("setproctitle") is not None:
        # granian retitles its processes when it can: keep what bin/instance recognises
        kwargs["process_name"] = "buildout_ts_wsgi granian %s" % ini
    _use_fork()
    server = Server(
        ini,  # only shown in granian's process title: the loader below makes the application
        interface=Interfaces.WSGI,
        websockets=False,  # (WSGI has none: granian would log that it ignores them)
        http1_settings=HTTP1Settings(**http1) if http1 else None,
        http2_settings=HTTP2Settings(**http2) if http2 else None,
        # incremental: keep the handlers of wsgi.ini's [loggers] (granian's own dictConfig
        # would close them); granian's loggers then propagate to them
        log_dictconfig={"incremental": True, "formatters": {}, "handlers": {}, "loggers": {}},
        **kwargs,
    )
    stopper = current_stopper()
    if stopper is not None:
        # granian's startup installs its signal handlers: take them back, and let the
        # launcher ask granian to stop (and kill its workers on a forced exit)
        server.on_startup(lambda: stopper.delegate(server.signal_handler_interrupt, lambda: kill_workers(server)))
    from granian.errors import ConfigurationError

    try:
        server.serve(target_loader=lambda: load_in_worker(app), wrap_loader=False)
    except ConfigurationError as e:
        # granian's own checks (its log line says more): a user's option, no traceback
        raise LaunchError("[server:main]: granian refuses its configuration (%s)" % e) from None


def load_in_worker(app):
    """granian's worker, after the fork: the application, made here (once per worker)."""
    import multiprocessing.util

    from .ending import close_zope_database

    # the master decides about restarts (a terminal's hang-up reaches the whole group), and a
    # stop while the application loads ends the worker quietly (granian installs its own
    # TERM/INT handlers once the application is there)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _quit)
    signal.signal(signal.SIGINT, _quit)
    _end_with_the_master()
    # run when the worker process ends (multiprocessing's exit): close the database cleanly
    multiprocessing.util.Finalize(None, close_zope_database, exitpriority=0)
    load = getattr(app, "load", None)
    return load() if callable(load) else app


def kill_workers(server):
    for worker in list(getattr(server, "wrks", ())):
        try:
            worker.kill()
        except Exception:
            pass


def worker_pids(pid):
    """The pids of granian's workers (the master's children), from /proc."""
    pids = []
    try:
        for task in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/children" % (pid, task)) as f:
                pids.extend(int(p) for p in f.read().split())
    except (OSError, ValueError):
        pass
    return sorted(pids)


def _quit(signum, frame):
    raise SystemExit(0)


def _end_with_the_master():
    """A worker whose master is gone (SIGKILL: `bin/instance stop` after its timeout, the OOM
    killer) would go on serving on the port and holding the database: the kernel sends it
    SIGTERM (granian's graceful stop) when the master dies (Linux's PR_SET_PDEATHSIG)."""
    master = os.getppid()
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    except (OSError, AttributeError):
        return  # not Linux: granian's own rules
    if os.getppid() != master:
        raise SystemExit(0)  # the master died before the line above


def _use_fork():
    # the loader is a closure over the launcher's state: the workers must be forked (Python
    # 3.14 defaults to forkserver on Linux, which granian turns into spawn)
    import multiprocessing

    if sys.platform != "win32" and multiprocessing.get_start_method(allow_none=True) != "fork":
        multiprocessing.set_start_method("fork", force=True)


def _check_extras(kwargs):
    needs = []
    if "process_name" in kwargs:
        needs.append(("setproctitle", "setproctitle", "process_name"))
    if kwargs.get("loop") in ("uvloop", "rloop"):
        needs.append((kwargs["loop"], kwargs["loop"], "loop = %s" % kwargs["loop"]))
    for module, dist, why in needs:
        if importlib.util.find_spec(module) is None:
            raise LaunchError("[server:main] %s needs %s: add `%s` to [instance] eggs" % (why, module, dist))
