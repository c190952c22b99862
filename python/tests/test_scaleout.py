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


def test_granian_worker_loads_the_application_behind_the_endpoint_before_serving(monkeypatch):
    # granian's worker calls load() on what it is given: the endpoint must hand it on
    monkeypatch.delenv("BUILDOUT_TS_HEALTH_PATH", raising=False)
    loaded = []

    def load():
        loaded.append(True)
        return app

    wrapped = health.wrap(LazyApp(load), Stopper())
    assert wrapped.load() is wrapped
    assert loaded == [True]
    assert call(wrapped, "/Plone")[2] == b"the application"
    assert loaded == [True]


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


def stand_in(tmp_path, name, body):
    """A control script that logs its calls to calls.log and runs `body` (sh)."""
    path = tmp_path / name
    path.write_text("#!/bin/sh\necho \"%s $*\" >> %s\n%s\n" % (name, tmp_path / "calls.log", body))
    path.chmod(0o755)
    return str(path)


def site_settings(tmp_path, instance2_body="echo 'daemon process started, pid=2'"):
    from buildout_ts_wsgi import sitectl  # noqa: F401

    return {
        "part": "site",
        "buildout_directory": str(tmp_path),
        "components": {
            "zeo": [{"name": "zeo", "script": stand_in(tmp_path, "zeo", "echo 'daemon process started, pid=1'"), "address": None}],
            "instances": [
                {"name": "instance1", "part": "instance", "script": stand_in(tmp_path, "instance1", "echo 'daemon process started, pid=11'"),
                 "connect": "127.0.0.1:1", "pidFile": "", "balancer": None},
                {"name": "instance2", "part": "instance", "script": stand_in(tmp_path, "instance2", instance2_body),
                 "connect": "127.0.0.1:2", "pidFile": "", "balancer": None},
            ],
            "balancers": [],
        },
        "start_timeout": 10, "stop_timeout": 10, "drain_timeout": 10, "warmup": [], "units": None,
    }


def test_site_starts_in_order_and_stops_in_reverse(tmp_path, capsys):
    from buildout_ts_wsgi import sitectl

    assert sitectl.main(site_settings(tmp_path), ["start"]) == 0
    assert sitectl.main(site_settings(tmp_path), ["stop"]) == 0
    calls = (tmp_path / "calls.log").read_text().splitlines()
    # ZEO, the first instance alone, the others; stopped the other way round (instances together)
    assert calls[:3] == ["zeo start --timeout 10", "instance1 start --timeout 10", "instance2 start --timeout 10"]
    assert sorted(calls[3:5]) == ["instance1 stop --timeout 10", "instance2 stop --timeout 10"]
    assert calls[5:] == ["zeo stop --timeout 10"]


def test_an_instance_whose_start_conflicted_starts_again_alone(tmp_path, capsys):
    from buildout_ts_wsgi import sitectl

    # the first start loses a ConflictError (another instance wrote the user folder), the second works
    body = ("if [ -e %s ]; then echo 'daemon process started, pid=12'; else touch %s; "
            "echo 'the server exited with code 1 before answering HTTP'; "
            "echo '    ZODB.POSException.ConflictError: database conflict error'; exit 1; fi") % (tmp_path / "once", tmp_path / "once")
    assert sitectl.main(site_settings(tmp_path, body), ["start"]) == 0
    out = capsys.readouterr().out
    assert "instance2: its start conflicted with another instance's (ConflictError): starting it again" in out
    assert "instance2: daemon process started, pid=12" in out
    # another failure is reported, not tried again
    (tmp_path / "calls.log").unlink()
    assert sitectl.main(site_settings(tmp_path, "echo 'error: address in use'; exit 1"), ["start"]) == 1
    assert [c for c in (tmp_path / "calls.log").read_text().splitlines() if c.startswith("instance2")] == ["instance2 start --timeout 10"]
