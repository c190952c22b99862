"""Stand-ins for the dataflake.wsgi.{bjoern,cheroot,werkzeug} server runners,
used when the shim distribution is not installed but the server itself is.

Each one reads `[server:main]` exactly as the shim does (spec wsgi-shims.md)
and is written as a factory so a missing server module is reported before
the application loads.
"""
from __future__ import annotations

import logging

from .errors import LaunchError, missing_server

_TRUE = ("1", "true", "on")
_FALSE = ("0", "false", "off")


def bjoern_factory(global_conf, **kw):
    try:
        import bjoern
    except ImportError:
        raise missing_server("bjoern", ["bjoern", "dataflake.wsgi.bjoern"]) from None
    host = kw.get("host", "")
    port = _int("port", kw.get("port", "0") or "0")
    listen = kw.get("listen")
    if not host and not port and listen:
        if ":" in listen:
            parts = listen.split(":")
            host, port = parts[0], _int("listen", parts[1])
        else:
            host, port = "", _int("listen", listen)
    reuse_port = kw.get("reuse_port", "").lower() in _TRUE

    def serve(app):
        bjoern.run(app, host, port=port or False, reuse_port=reuse_port)
        return 0

    return serve


_CHEROOT_INTS = ("numthreads", "max", "request_queue_size", "timeout", "shutdown_timeout",
                 "accepted_queue_size", "accepted_queue_timeout")
_CHEROOT_BOOLS = ("peercreds_enabled", "peercreds_resolve_enabled")


def cheroot_factory(global_conf, **kw):
    try:
        from cheroot import wsgi
    except ImportError:
        raise missing_server("cheroot", ["cheroot", "dataflake.wsgi.cheroot"]) from None
    kw = dict(kw)
    host = kw.pop("host", "0.0.0.0")
    port = _int("port", kw.pop("port", "8080"))
    for key in _CHEROOT_INTS:
        if key in kw:
            kw[key] = _int(key, kw[key])
    for key in _CHEROOT_BOOLS:
        if key in kw:
            kw[key] = kw[key].lower() not in _FALSE

    class Server(wsgi.Server):
        # the shim sends cheroot's error output to logging instead of stderr
        def error_log(self, msg="", level=20, traceback=False):
            logging.getLogger("cheroot.error").log(level, msg, exc_info=traceback)

    try:
        # built now (app set later) so a bad option fails before the app loads
        server = Server((host, port), None, **kw)
    except TypeError as e:
        raise LaunchError("[server:main]: cheroot refuses an option: %s" % e) from None

    def serve(app):
        server.wsgi_app = app
        try:
            server.start()
        except (KeyboardInterrupt, SystemExit):
            server.stop()
            raise
        return 0

    return serve


_WZ_TRUE_DEFAULT = ("use_evalex", "pin_security", "pin_logging")
_WZ_FALSE_DEFAULT = ("use_reloader", "use_debugger", "threaded", "passthrough_errors", "evalex",
                     "show_hidden_frames")
_WZ_INTS = ("reloader_interval", "processes")
_WZ_DEBUGGER_KEYS = ("evalex", "request_key", "console_path", "console_init_func",
                     "show_hidden_frames", "pin_security", "pin_logging")


def werkzeug_factory(global_conf, **kw):
    return _werkzeug(kw, force_debugger=False)


def werkzeug_debugger_factory(global_conf, **kw):
    return _werkzeug(kw, force_debugger=True)


def _werkzeug(kw, force_debugger):
    try:
        from werkzeug import serving
        from werkzeug.debug import DebuggedApplication
    except ImportError:
        raise missing_server("werkzeug", ["werkzeug", "dataflake.wsgi.werkzeug"]) from None
    kw = dict(kw)
    host = kw.pop("hostname", None) or kw.pop("host", "0.0.0.0")
    kw.pop("host", None)
    port = _int("port", kw.pop("port", "8080"))
    for key in _WZ_TRUE_DEFAULT:
        if key in kw:
            kw[key] = kw[key].lower() not in _FALSE
    for key in _WZ_FALSE_DEFAULT:
        if key in kw:
            kw[key] = kw[key].lower() in _TRUE
    for key in _WZ_INTS:
        if key in kw:
            kw[key] = _int(key, kw[key])
    debugger = {k: kw.pop(k) for k in _WZ_DEBUGGER_KEYS if k in kw}
    use_debugger = force_debugger or kw.get("use_debugger", False)
    if force_debugger:
        debugger["evalex"] = True
        kw.pop("use_debugger", None)

    def serve(app):
        if use_debugger:
            app = DebuggedApplication(app, **debugger)
        serving.run_simple(host, port, app, **kw)
        return 0

    return serve


def _int(key, value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise LaunchError("[server:main] %s: %r is not a number" % (key, value)) from None
