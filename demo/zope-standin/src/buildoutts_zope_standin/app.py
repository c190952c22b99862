"""`egg:Zope#main` of the stand-in: a small WSGI app describing zope.conf."""
from __future__ import annotations

import html
import logging
import os
import time

from .zopeconf import read_facts

BANNER = ("This is the buildout-ts Zope STAND-IN, not Zope: it is only for machines where "
          "Zope cannot be installed (no PyPI).")
_TRUE = ("1", "true", "on", "yes")


def make_app(global_conf, zope_conf=None, **local_conf):
    if not zope_conf:
        raise ValueError("[app:zope] needs zope_conf (the path of zope.conf)")
    delay = float(local_conf.get("startup_delay", 0) or 0)
    if delay > 0:
        # imitates a slow Zope start-up (opening a big database), for start-up tests
        time.sleep(delay)
    facts = read_facts(zope_conf)
    forced = global_conf.get("debug_mode")
    if forced is not None:
        facts["debug_mode"] = str(forced).lower() in _TRUE
    facts["debug_exceptions"] = str(global_conf.get("debug_exceptions", "")).lower() in _TRUE
    logging.getLogger("Zope").info("Ready to handle requests (buildout-ts Zope stand-in)")
    return StandinApp(facts)


class StandinApp:
    def __init__(self, facts):
        self.facts = facts
        self.big = _big_body()

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "/") or "/"
        if method == "POST":
            size = _drain(environ["wsgi.input"], environ.get("CONTENT_LENGTH"))
            return _reply(start_response, "200 OK", "text/plain", "received %d bytes\n" % size)
        if path == "/health":
            return _reply(start_response, "200 OK", "text/plain", "ok\n")
        if path == "/big":
            return _reply(start_response, "200 OK", "text/plain", self.big)
        if path == "/error":
            raise RuntimeError("the stand-in's /error page raises on purpose")
        if path != "/":
            return _reply(start_response, "404 Not Found", "text/plain", "not found: %s\n" % path)
        return _reply(start_response, "200 OK", "text/html; charset=utf-8", self.page(environ))

    def page(self, environ):
        facts = dict(self.facts, INSTANCE_HOME=os.environ.get("INSTANCE_HOME"))
        # only STANDIN_* variables: enough to show `.env` handling, never secrets
        facts.update((k, v) for k, v in os.environ.items() if k.startswith("STANDIN_"))
        rows = "".join("<tr><th>%s</th><td>%s</td></tr>" % (html.escape(k), html.escape(str(v)))
                       for k, v in sorted(facts.items()))
        server = html.escape(environ.get("SERVER_SOFTWARE", "?"))
        return ("<!DOCTYPE html><html><head><title>buildout-ts Zope stand-in</title></head><body>"
                "<p><strong>%s</strong></p><h1>buildout-ts Zope stand-in</h1><table>%s</table>"
                "<p>served by %s in process %d</p></body></html>\n"
                % (html.escape(BANNER), rows, server, os.getpid()))


def _reply(start_response, status, ctype, text):
    body = text.encode("utf-8")
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(body))),
                            ("X-Zope-Standin", "buildout-ts")])
    return [body]


def _drain(stream, content_length):
    # reads exactly CONTENT_LENGTH bytes; never reads past it (werkzeug would block)
    try:
        remaining = int(content_length or 0)
    except ValueError:
        remaining = 0
    total = 0
    while remaining > 0:
        chunk = stream.read(min(remaining, 65536))
        if not chunk:
            break
        total += len(chunk)
        remaining -= len(chunk)
    return total


def _big_body():
    line = "buildout-ts Zope stand-in: a ~10 KB response for throughput measurements.\n"
    return line * (10240 // len(line))
