"""haproxy's runtime API over its admin socket (the unix socket of `stats socket ... level
admin` in the generated haproxy.cfg): one command per connection, as haproxy's
non-interactive mode expects. Used by bin/<balancer> and bin/<site> (rolling-restart)."""
from __future__ import annotations

import socket

from .errors import LaunchError


class ApiError(LaunchError):
    pass


def command(path, line, timeout=5.0):
    """Sends one command, returns haproxy's whole answer (text)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
        sock.sendall(line.encode() + b"\n")
        chunks = []
        while True:
            data = sock.recv(65536)
            if not data:
                break
            chunks.append(data)
    except FileNotFoundError:
        raise ApiError("the balancer's admin socket %s does not exist: is the balancer running?" % path) from None
    except ConnectionRefusedError:
        raise ApiError("the balancer does not answer on its admin socket %s: is it running?" % path) from None
    except socket.timeout:
        raise ApiError("the balancer did not answer %r on %s within %g s" % (line, path, timeout)) from None
    finally:
        sock.close()
    return b"".join(chunks).decode("utf-8", "replace")


def answers(path):
    try:
        return "Name: HAProxy" in command(path, "show info", timeout=2.0)
    except (ApiError, OSError):
        return False


def worker_pid(path):
    """The pid of the worker that answers on the socket (changes with a reload)."""
    for line in command(path, "show info").splitlines():
        if line.startswith("Pid:"):
            return int(line.split(":", 1)[1])
    return None


class Server:
    """One server of a backend, as `show stat` and `show servers state` describe it."""

    def __init__(self, name, status, sessions, queued, check):
        self.name = name
        self.status = status  # UP, DOWN, DRAIN, MAINT, "UP 1/2" (going down), "DOWN 1/2" (going up), ...
        self.sessions = sessions  # requests being served (scur)
        self.queued = queued  # requests waiting for this server (qcur)
        self.check = check  # last check: L7OK, L4CON, ...

    @property
    def up(self):
        return self.status in ("UP", "DRAIN") or self.status.startswith("UP ")

    def __repr__(self):
        return "Server(%r, %r, sessions=%d)" % (self.name, self.status, self.sessions)


def servers(path, backend):
    """The servers of `backend`, in the configuration's order."""
    text = command(path, "show stat")
    lines = text.splitlines()
    if not lines or not lines[0].startswith("# "):
        raise ApiError("unexpected answer to `show stat`: %s" % text.strip()[:200])
    fields = lines[0][2:].split(",")
    col = {name: i for i, name in enumerate(fields)}
    out = []
    for line in lines[1:]:
        values = line.split(",")
        if len(values) < len(fields) - 1 or values[col["pxname"]] != backend:
            continue
        name = values[col["svname"]]
        if name in ("FRONTEND", "BACKEND"):
            continue
        out.append(Server(name, values[col["status"]], _int(values[col["scur"]]), _int(values[col["qcur"]]),
                          values[col["check_status"]]))
    return out


def server(path, backend, name):
    for s in servers(path, backend):
        if s.name == name:
            return s
    raise ApiError("the balancer has no server %s in its backend %s" % (name, backend))


def set_state(path, backend, name, state):
    """`ready`, `drain` or `maint`; raises with haproxy's message when it refuses."""
    if state not in ("ready", "drain", "maint"):
        raise ValueError(state)
    answer = command(path, "set server %s/%s state %s" % (backend, name, state)).strip()
    if answer:
        raise ApiError("the balancer refused `set server %s/%s state %s`: %s" % (backend, name, state, answer))


def _int(text):
    try:
        return int(text)
    except ValueError:
        return 0
