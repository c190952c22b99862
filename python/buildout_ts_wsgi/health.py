"""The launcher's health endpoint, for load balancers: `GET /__health__` (or HEAD) is answered
by the launcher itself, in front of the application -- no Zope traversal, no database access,
so a check every second costs nothing.

- 200 `ok` while the server serves; 503 `stopping` once a stop or a restart in place began
  (the balancer then takes the instance out while its running requests finish).
- The body says when this process started serving (`started=<unix time>`): after a restart in
  place (SIGHUP: same pid) the site control tells the new server from the old one by it.
- A path Zope could never serve: Zope publishes no name that begins with an underscore. The
  generated haproxy frontend refuses it from outside.
- `$BUILDOUT_TS_HEALTH_PATH` changes the path; empty turns the endpoint off.
"""
from __future__ import annotations

import os
import time

from .servers import LazyApp

DEFAULT_PATH = "/__health__"


def health_path():
    return os.environ.get("BUILDOUT_TS_HEALTH_PATH", DEFAULT_PATH).strip()


def wrap(app, stopper):
    """The application behind the health endpoint (unchanged when it is turned off)."""
    path = health_path()
    return Health(app, stopper, path) if path else app


class Health:
    def __init__(self, app, stopper, path):
        self.app = app
        self.stopper = stopper
        self.path = path
        self._pid = os.getpid()
        self._started = time.time()

    def load(self):
        """granian's worker makes the application before serving: load what is behind us."""
        if isinstance(self.app, LazyApp):
            self.app.load()
        return self

    def started(self):
        # a forked worker (gunicorn's, also the new one after a HUP) is a new server
        if os.getpid() != self._pid:
            self._pid = os.getpid()
            self._started = time.time()
        return self._started

    def __call__(self, environ, start_response):
        if environ.get("PATH_INFO") != self.path or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            return self.app(environ, start_response)
        # gunicorn's worker loads Zope on first use: not healthy before it can serve
        if isinstance(self.app, LazyApp):
            self.app.load()
        stopping = self.stopper.signal is not None
        body = ("%s started=%.6f\n" % ("stopping" if stopping else "ok", self.started())).encode()
        start_response("503 Service Unavailable" if stopping else "200 OK", [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ])
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [body]
