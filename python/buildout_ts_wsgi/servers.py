"""Our waitress server (`egg:buildout-ts-wsgi#main`) and the gunicorn runner.

`server_factory` is a paste.server_factory: PasteDeploy calls it while loading
`[server:main]`, i.e. before the application, so `fast-listen` sockets are
bound at once (the port is ours early and requests queue while Zope starts).
"""
from __future__ import annotations

import logging

from .addresses import bind_sockets, parse_listen
from .errors import LaunchError, missing_server

log = logging.getLogger("buildout_ts_wsgi")

# keys the recipe's factory consumes itself and that waitress would refuse
_OWN_KEYS = ("paste.server_factory", "paste.server_runner")


def server_factory(global_conf, **kw):
    """paste.server_factory `main`: returns serve(app)."""
    waitress = _import_waitress()
    for key in _OWN_KEYS:
        kw.pop(key, None)
    fast = kw.pop("fast-listen", None)
    _check_waitress_keys(waitress, kw)
    sockets = []
    if fast is not None and fast.strip():
        if kw.get("listen") or kw.get("host") or kw.get("port"):
            raise LaunchError("[server:main]: `fast-listen` cannot be combined with listen/host/port")
        backlog = int(kw.get("backlog", 1024))
        sockets = bind_sockets(parse_listen(fast), backlog)
        # waitress reads the bound sockets; global_conf lets other code see them too
        global_conf["prebound"] = " ".join(str(s.fileno()) for s in sockets)
        log.info("fast-listen: bound %s before loading the application",
                 ", ".join(_sockname(s) for s in sockets))

    def serve(app):
        if sockets:
            waitress.serve(app, sockets=sockets, **kw)
        else:
            waitress.serve(app, **kw)
        return 0

    return serve


def server_runner(app, global_conf, **kw):
    """paste.server_runner `main`: the plain runner form of server_factory."""
    return server_factory(global_conf, **kw)(app)


def gunicorn_factory(global_conf, **kw):
    """gunicorn's own paste runner, with one worker per instance (several
    processes sharing one opened ZODB storage, one pid file, one port is not a
    supported setup). The application is loaded in the worker, after the fork:
    a ZEO client's I/O thread does not survive a fork (the worker would hang on
    its first database access), and HUP (gunicorn: new workers) then reloads it."""
    try:
        from gunicorn.app import pasterapp
    except ImportError:
        raise missing_server("gunicorn", ["gunicorn"]) from None
    workers = kw.get("workers", "1").strip() or "1"
    if workers != "1":
        log.warning("gunicorn `workers = %s` ignored: buildout-ts runs one worker per instance "
                    "(use `threads` for concurrency, or more instances)", workers)
    kw["workers"] = "1"

    def serve(app):
        load = getattr(app, "load", None)
        if load is not None:
            kw["post_worker_init"] = lambda worker: load()
            kw["worker_exit"] = _gunicorn_worker_exit
        pasterapp.serve(app, global_conf, **kw)
        return 0

    serve.loads_app_in_worker = True
    return serve


def _gunicorn_worker_exit(arbiter, worker):
    from .ending import close_zope_database

    close_zope_database()


class LazyApp:
    """The application, loaded on first use (by gunicorn's worker, after the fork)."""

    def __init__(self, load):
        self._load = load
        self._app = None

    def load(self):
        if self._app is None:
            self._app = self._load()
        return self._app

    def __call__(self, environ, start_response):
        return self.load()(environ, start_response)

    def close(self):
        closer = getattr(self._app, "close", None)
        if callable(closer):
            closer()


def _import_waitress():
    try:
        import waitress
    except ImportError:
        raise missing_server("waitress", ["waitress"]) from None
    return waitress


def _check_waitress_keys(waitress, kw):
    # waitress would refuse unknown keys only once the app is loaded; say it now
    try:
        from waitress.adjustments import Adjustments
        known = {name for name, _ in Adjustments._params} | {"sockets"}
    except Exception:  # a waitress without the private table: let it check itself
        return
    unknown = sorted(k for k in kw if k not in known)
    if unknown:
        raise LaunchError("[server:main]: waitress does not know the option(s) %s" % ", ".join(unknown))


def _sockname(sock):
    host, port = sock.getsockname()[:2]
    return "[%s]:%s" % (host, port) if ":" in host else "%s:%s" % (host, port)
