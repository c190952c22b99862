"""The launcher's health endpoint and the runtime-API client used by bin/<balancer> and
bin/<site> (the whole site against real haproxy: test/e2e/cluster*.e2e.test.ts)."""
from __future__ import annotations

import os
import socket
import threading

import pytest

from buildout_ts_wsgi import haproxyapi, health
from buildout_ts_wsgi.servers import LazyApp


class Stopper:
    signal = None


def call(app, path, method="GET"):
    seen = {}

    def start_response(status, headers):
        seen["status"] = status
        seen["headers"] = dict(headers)

    body = b"".join(app({"PATH_INFO": path, "REQUEST_METHOD": method}, start_response))
    return seen["status"], seen["headers"], body


def app(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"the application"]


def test_health_answers_in_front_of_the_application_and_says_when_stopping(monkeypatch):
    monkeypatch.delenv("BUILDOUT_TS_HEALTH_PATH", raising=False)
    stopper = Stopper()
    wrapped = health.wrap(app, stopper)
    status, headers, body = call(wrapped, "/__health__")
    assert status == "200 OK"
    assert headers["Cache-Control"] == "no-store"
    assert body.startswith(b"ok started=")
    assert call(wrapped, "/__health__", "HEAD")[2] == b""
    # other paths and methods are the application's
    assert call(wrapped, "/Plone")[2] == b"the application"
    assert call(wrapped, "/__health__", "POST")[2] == b"the application"
    stopper.signal = 15
    status, _, body = call(wrapped, "/__health__")
    assert status.startswith("503")
    assert body.startswith(b"stopping started=")


def test_health_loads_a_lazy_application_first_and_can_be_turned_off(monkeypatch):
    monkeypatch.delenv("BUILDOUT_TS_HEALTH_PATH", raising=False)
    loaded = []

    def load():
        loaded.append(True)
        return app

    lazy = LazyApp(load)
    assert call(health.wrap(lazy, Stopper()), "/__health__")[0] == "200 OK"
    assert loaded == [True]
    monkeypatch.setenv("BUILDOUT_TS_HEALTH_PATH", "/_ping")
    assert call(health.wrap(app, Stopper()), "/_ping")[2].startswith(b"ok")
    monkeypatch.setenv("BUILDOUT_TS_HEALTH_PATH", "")
    assert health.wrap(app, Stopper()) is app


def test_a_forked_worker_is_a_new_server(monkeypatch):
    monkeypatch.delenv("BUILDOUT_TS_HEALTH_PATH", raising=False)
    h = health.wrap(app, Stopper())
    first = h.started()
    monkeypatch.setattr(os, "getpid", lambda: -1)
    assert h.started() != first


# `show stat` of haproxy 2.6, cut to the columns that matter (the real answer has ~100)
SHOW_STAT = """# pxname,svname,qcur,qmax,scur,smax,slim,stot,status,check_status,
site,FRONTEND,,,3,8,4096,900,OPEN,,
zope,instance1,0,0,2,4,4,300,UP,L7OK,
zope,instance2,1,0,0,4,4,300,DRAIN,L7OK,
zope,instance3,0,0,0,4,4,300,DOWN 1/2,L4CON,
zope,BACKEND,0,0,2,8,410,900,UP,,

"""


@pytest.fixture
def admin_socket(tmp_path):
    """A stand-in for haproxy's admin socket: answers `show stat`, records the other commands."""
    path = str(tmp_path / "admin.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(5)
    commands = []

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            with conn:
                line = conn.makefile().readline().strip()
                commands.append(line)
                conn.sendall(SHOW_STAT.encode() if line == "show stat" else b"" if line.endswith("state drain") else b"No such server.\n")

    threading.Thread(target=serve, daemon=True).start()
    yield path, commands
    server.close()


def test_servers_reads_show_stat(admin_socket):
    path, _ = admin_socket
    servers = haproxyapi.servers(path, "zope")
    assert [(s.name, s.status, s.sessions, s.queued, s.check, s.up) for s in servers] == [
        ("instance1", "UP", 2, 0, "L7OK", True),
        ("instance2", "DRAIN", 0, 1, "L7OK", True),
        ("instance3", "DOWN 1/2", 0, 0, "L4CON", False),
    ]
    with pytest.raises(haproxyapi.ApiError, match="no server instance9 in its backend zope"):
        haproxyapi.server(path, "zope", "instance9")


def test_set_state_sends_the_command_and_reports_a_refusal(admin_socket):
    path, commands = admin_socket
    haproxyapi.set_state(path, "zope", "instance2", "drain")
    with pytest.raises(haproxyapi.ApiError, match="refused `set server zope/instance2 state ready`: No such server"):
        haproxyapi.set_state(path, "zope", "instance2", "ready")
    assert commands == ["set server zope/instance2 state drain", "set server zope/instance2 state ready"]


def test_a_missing_socket_says_the_balancer_is_not_running(tmp_path):
    with pytest.raises(haproxyapi.ApiError, match="does not exist: is the balancer running"):
        haproxyapi.command(str(tmp_path / "nope.sock"), "show info")
    assert haproxyapi.answers(str(tmp_path / "nope.sock")) is False
