"""How our processes end: Zope's database closed, then an exit without the
interpreter's teardown (destroying a loaded Plone module by module takes seconds)."""
from __future__ import annotations

import os
import sys

from .errors import EXIT_FAILED


def close_zope_database():
    zope = sys.modules.get("Zope2")
    db = getattr(zope, "DB", None) if zope is not None else None
    if db is not None and hasattr(db, "close"):
        _quietly(db.close)


def exit_now(code):
    """Ends the process without the interpreter's teardown: once the servers are closed, the
    pid file removed and the database closed, destroying a loaded Plone object by object and
    module by module takes 2-3 s (Zope's runwsgi dies on SIGTERM without any of it)."""
    import atexit
    import logging

    try:
        run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
        if run_exit_functions is not None:
            run_exit_functions()
        logging.shutdown()  # flushes and closes the log files
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code if isinstance(code, int) else EXIT_FAILED)


def exit_code(exc):
    """The status of a SystemExit, as the interpreter would give it."""
    if exc.code is None or isinstance(exc.code, int):
        return exc.code or 0
    sys.stderr.write("%s\n" % exc.code)
    return EXIT_FAILED


def _quietly(fn):
    try:
        fn()
    except Exception:
        pass
