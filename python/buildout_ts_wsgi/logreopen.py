"""SIGUSR2 reopens the log files of the running server (`bin/instance logreopen`), so that
logrotate can move them away: what zdaemon's `logreopen` did for Zope 2. Only where Zope
runs in the launcher's own process: gunicorn and granian serve from worker processes (and
gunicorn's master takes USR2 for a binary upgrade)."""
from __future__ import annotations

import logging
import signal
import threading

# servers whose workers, not the launcher, hold the log files
WORKER_SERVERS = ("gunicorn", "granian")


def install(kind):
    """Takes SIGUSR2 for the server kind that is about to serve (its default action kills)."""
    if kind in WORKER_SERVERS:
        return
    # the reopening takes the handlers' locks: not inside a signal handler, which may have
    # interrupted a thread holding one
    signal.signal(signal.SIGUSR2, lambda signum, frame: threading.Thread(
        target=reopen_log_files, name="buildout-ts logreopen", daemon=True).start())


def file_handlers():
    """Every logging.FileHandler of the process (rotating and watched ones included)."""
    loggers = [logging.getLogger()] + [lg for lg in logging.Logger.manager.loggerDict.values()
                                       if isinstance(lg, logging.Logger)]
    seen = {}
    for lg in loggers:
        for h in lg.handlers:
            if isinstance(h, logging.FileHandler):
                seen[id(h)] = h
    return list(seen.values())


def reopen_log_files():
    """Closes each log file and opens it again at its path (a new file after a rotation)."""
    handlers = file_handlers()
    for h in handlers:
        h.acquire()
        try:
            if h.stream is not None:
                h.stream.close()
                h.stream = h._open()
        finally:
            h.release()
    logging.getLogger("buildout_ts_wsgi").info("reopened %d log file(s) (SIGUSR2)", len(handlers))
    return len(handlers)
