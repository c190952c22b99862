"""The stand-in's `httpexceptions` and `content_length` filters."""
from __future__ import annotations

import logging
import sys

log = logging.getLogger("Zope.standin")


def make_httpexceptions(app, global_conf, **local_conf):
    def middleware(environ, start_response):
        try:
            return app(environ, start_response)
        except Exception:
            log.exception("error while serving %s", environ.get("PATH_INFO"))
            body = b"500 Internal Server Error (buildout-ts Zope stand-in)\n"
            start_response("500 Internal Server Error",
                           [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))],
                           sys.exc_info())
            return [body]

    return middleware


def make_content_length(app, global_conf, **local_conf):
    def middleware(environ, start_response):
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        environ["wsgi.input"] = LimitedInput(environ["wsgi.input"], length)
        return app(environ, start_response)

    return middleware


class LimitedInput:
    """wsgi.input that ends after `limit` bytes, whatever the server's stream does."""

    def __init__(self, stream, limit):
        self.stream = stream
        self.remaining = limit

    def read(self, size=-1):
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self.stream.read(size)
        self.remaining -= len(data)
        return data

    def readline(self, size=-1):
        if self.remaining <= 0:
            return b""
        if size is None or size < 0 or size > self.remaining:
            size = self.remaining
        data = self.stream.readline(size)
        self.remaining -= len(data)
        return data

    def readlines(self, hint=-1):
        return list(iter(self.readline, b""))

    def __iter__(self):
        return iter(self.readline, b"")
