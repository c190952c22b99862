"""The ZEO server: `python -m buildout_ts_wsgi.zeoserve -C zeo.conf [runzeo options]`.

ZEO's own runzeo, run in this process, with one change: on SIGHUP runzeo exits
with status 1 for zdaemon to start it again; without zdaemon this process
re-executes itself instead (same pid, zeo.conf read again), unless the
terminal it runs in was closed (then SIGHUP stops it, status 0).
"""
from __future__ import annotations

import signal
import sys

from .errors import EXIT_CONFIG


def main(argv=None):
    args = sys.argv[1:] if argv is None else argv
    try:
        from ZEO import runzeo
    except ImportError:
        sys.stderr.write("error: ZEO is not importable in this buildout's Python environment: add ZEO "
                         "to the eggs of the zeoserver part\n")
        return EXIT_CONFIG
    from .stopping import _isatty, reexec

    ttys = [fd for fd in (0, 1, 2) if _isatty(fd)]

    class Server(runzeo.ZEOServer):
        restart = False

        def handle_sighup(self):
            if any(not _isatty(fd) for fd in ttys):
                runzeo.log("terminated by SIGHUP (the terminal was closed)")
                sys.exit(0)
            self.restart = True
            runzeo.log("restarting in place (SIGHUP)")
            sys.exit(0)

    options = runzeo.ZEOOptions()
    options.realize(args)
    server = Server(options)
    # runzeo writes its pid file, then opens the storages, and only then installs its signal
    # handlers: a stop in between would kill it and leave the pid file behind
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    signal.signal(signal.SIGHUP, lambda *_: server.handle_sighup())
    try:
        server.main()
    except SystemExit:
        if server.restart:
            reexec("buildout_ts_wsgi.zeoserve")
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main())
