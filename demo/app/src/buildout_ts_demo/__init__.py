"""A tiny PasteDeploy app (`egg:buildout-ts-demo#main`): greets, echoes POST body
sizes, serves /big (~10 KB) and /health. Options: `greeting`."""
from __future__ import annotations

import os


def make_app(global_conf, greeting="Hello from buildout-ts-demo", **local_conf):
    big = ("buildout-ts-demo: a ~10 KB response.\n" * 280).encode()

    def app(environ, start_response):
        path = environ.get("PATH_INFO") or "/"
        if environ.get("REQUEST_METHOD") == "POST":
            size = len(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)))
            body = ("received %d bytes\n" % size).encode()
        elif path == "/health":
            body = b"ok\n"
        elif path == "/big":
            body = big
        elif path == "/":
            body = ("%s (pid %d)\n" % (greeting, os.getpid())).encode()
        else:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "10")])
            return [b"not found\n"]
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]

    return app
