"""Waiting for a started server to answer HTTP, and for a stopped one to go."""
from __future__ import annotations

import http.client
import time

from . import pidfile


class Outcome:
    def __init__(self, ok, detail):
        self.ok = ok
        self.detail = detail


def server_addresses(wsgi_ini):
    """[(host, port)] clients can connect to, from wsgi.ini's [server:main]."""
    from .addresses import connect_host, section_addresses
    from .config import read_server_section

    use, conf = read_server_section(wsgi_ini, "server:main", {})
    return [(connect_host(h), p) for h, p in section_addresses(use or "", conf)]


def wait_until_answering(proc, wsgi_ini, timeout, pid_file=None):
    try:
        addresses = server_addresses(wsgi_ini)
    except Exception:  # the launcher will say what is wrong with the ini; watch the process
        addresses = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return Outcome(False, "exited with code %s" % proc.returncode)
        # the pid file is written once the app is loaded, just before serving: until then an
        # answer on the port could come from another program
        ours = pid_file is None or pidfile.read(pid_file) == proc.pid
        for host, port in addresses if ours else ():
            if _answers(host, port):
                return Outcome(True, "answering on http://%s/" % _fmt(host, port))
        if not addresses and pid_file and pidfile.read(pid_file) == proc.pid:
            return Outcome(True, "pid file written; address unknown")
        time.sleep(0.05)
    where = ", ".join(_fmt(h, p) for h, p in addresses) or "an unknown address"
    return Outcome(False, "no HTTP answer on %s" % where)


def wait_until_gone(pid, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pidfile.alive(pid):
            return True
        time.sleep(0.05)
    return not pidfile.alive(pid)


def _answers(host, port):
    conn = http.client.HTTPConnection(host, port, timeout=2)
    try:
        conn.request("HEAD", "/", headers={"User-Agent": "buildout-ts bin/instance start"})
        conn.getresponse()
        return True
    except (OSError, http.client.HTTPException):
        return False
    finally:
        conn.close()


def _fmt(host, port):
    return "[%s]:%s" % (host, port) if ":" in host else "%s:%s" % (host, port)
