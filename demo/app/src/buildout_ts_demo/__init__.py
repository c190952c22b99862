"""A tiny PasteDeploy app (`egg:buildout-ts-demo#main`) for the launcher's tests and the
recipe's `wsgi = <ini>` route. Options: `greeting`, `startup_delay` (seconds).

GET /          the greeting and the process id
GET /health    `ok`
GET /big       ~10 KB
GET /slow?seconds=N   answers after N seconds (default 2): a request in flight during a stop
GET /info      JSON: pid, thread, server software, debug flags from the ini's global variables,
               INSTANCE_HOME and the DEMO_* environment variables
GET /error     raises (for error-handling filters and debuggers)
POST           `received N bytes`
"""
from __future__ import annotations

import json
import os
import threading
import time
from urllib.parse import parse_qs

_TRUE = ("1", "true", "on", "yes")


def make_app(global_conf, greeting="Hello from buildout-ts-demo", startup_delay="0", **local_conf):
    delay = float(startup_delay or 0)
    if delay > 0:
        time.sleep(delay)  # a slow application load (a big database), for start-up tests
    flags = {k: str(global_conf.get(k, "")).lower() in _TRUE for k in ("debug_mode", "debug_exceptions")}
    big = ("buildout-ts-demo: a ~10 KB response.\n" * 280).encode()

    def app(environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if environ.get("REQUEST_METHOD") == "POST":
            size = len(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
            return _reply(start_response, "received %d bytes\n" % size)
        if path == "/health":
            return _reply(start_response, "ok\n")
        if path == "/big":
            return _reply(start_response, big)
        if path == "/slow":
            seconds = float(parse_qs(environ.get("QUERY_STRING", "")).get("seconds", ["2"])[0])
            started = time.monotonic()
            time.sleep(seconds)
            return _reply(start_response, "slept %.1f s in process %d\n" % (time.monotonic() - started, os.getpid()))
        if path == "/info":
            info = dict(flags, pid=os.getpid(), thread=threading.current_thread().name,
                        server=environ.get("SERVER_SOFTWARE", ""), INSTANCE_HOME=os.environ.get("INSTANCE_HOME"))
            info.update((k, v) for k, v in os.environ.items() if k.startswith("DEMO_"))
            return _reply(start_response, json.dumps(info, sort_keys=True), "application/json")
        if path == "/error":
            raise RuntimeError("the demo app's /error page raises on purpose")
        if path == "/":
            return _reply(start_response, "%s (pid %d)\n" % (greeting, os.getpid()))
        start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
        return [b"not found\n"]

    return app


def _reply(start_response, body, ctype="text/plain"):
    data = body if isinstance(body, bytes) else body.encode("utf-8")
    start_response("200 OK", [("Content-Type", ctype), ("Content-Length", str(len(data)))])
    return [data]
