"""`egg:buildout-ts-wsgi#granian` with the demo app and a recording app: the application is
made in granian's worker processes (once each, after the fork), the launcher keeps the
signals (stop, restart in place), and the keys of [server:main] are checked before anything
loads. (The stop with a request in flight is in test_stop_signals.py; the proofs with a real
Zope, ZEO and Plone are test/e2e/instance-zope-zeo and instance-plone.)"""
from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import Served, child_env, free_port

from buildout_ts_wsgi.errors import LaunchError
from buildout_ts_wsgi.granian_options import DEFAULT_THREADS, granian_options, section_address

# an application factory that records each load (pid) in a file, then serves the demo app
RECORDER = '''
import os
from buildout_ts_demo import make_app as demo


def make_app(global_conf, record, fail="", **kw):
    with open(record, "a") as f:
        f.write("%d\\n" % os.getpid())
    if fail:
        raise RuntimeError("the application failed to load on purpose")
    return demo(global_conf, **kw)
'''


def write_granian_ini(tmp_path, port, server_extra="", app_extra=""):
    (tmp_path / "recorder.py").write_text(RECORDER)
    ini = tmp_path / "granian.ini"
    ini.write_text(
        "[server:main]\nuse = egg:buildout-ts-wsgi#granian\nhost = 127.0.0.1\nport = %d\n%s\n"
        "[app:main]\nuse = call:recorder:make_app\nrecord = %s\n%s\n"
        % (port, server_extra, tmp_path / "loads.txt", app_extra))
    return str(ini)


def loads(tmp_path):
    path = tmp_path / "loads.txt"
    return [int(p) for p in path.read_text().split()] if path.exists() else []


@pytest.fixture
def granian(tmp_path):
    started = []

    def start(server_extra="", app_extra="", args=(), ready=True, env=None):
        port = free_port()
        ini = write_granian_ini(tmp_path, port, server_extra, app_extra)
        s = Served(ini, port, ["--path", str(tmp_path), *args], env or child_env())
        started.append(s)
        if ready:
            s.wait_ready()
        return s

    yield start
    for s in started:
        s.close()


def test_the_application_is_made_in_each_worker_once_after_the_fork(granian, tmp_path):
    served = granian("workers = 2\n")
    seen = set()
    deadline = time.monotonic() + 10
    while len(seen) < 2 and time.monotonic() < deadline:
        seen.add(json.loads(served.get("/info"))["pid"])
    made = loads(tmp_path)
    # two workers, each loaded the application once; the launcher (granian's master) never did
    assert sorted(made) == sorted(set(made)) and len(made) == 2, made
    assert served.proc.pid not in made
    assert seen <= set(made)
    info = json.loads(served.get("/info"))
    assert info["server"] == "Granian"
    # bin/instance status: the server, its version, the workers
    from buildout_ts_wsgi.status import describe_server

    lines = describe_server(str(tmp_path / "granian.ini"), served.proc.pid)
    assert re.match(r"server: granian \d+\.\d+\.\d+ \(use = egg:buildout-ts-wsgi#granian\)$", lines[0]), lines
    assert lines[1] == "granian workers (each loads the application): %s" % ", ".join("pid %d" % p for p in sorted(made))
    assert served.get("/") .startswith("Hello from buildout-ts-demo (pid ")
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert "Traceback" not in served.output()


def test_post_bodies_reach_the_application(granian):
    import urllib.request

    served = granian()
    body = b"x" * 300_000
    req = urllib.request.Request("http://127.0.0.1:%d/" % served.port, data=body, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.read() == b"received 300000 bytes\n"


def test_sighup_restarts_in_place_new_workers_load_the_application_again(granian, tmp_path):
    pid_file = tmp_path / "granian.pid"
    served = granian(args=["--pid-file", str(pid_file)])
    first = json.loads(served.get("/info"))["pid"]
    served.send(signal.SIGHUP)
    time.sleep(0.3)
    served.wait_ready()
    second = json.loads(served.get("/info"))["pid"]
    # the launcher (the pid of the pid file) re-executed itself; its new worker loaded the app
    assert pid_file.read_text().strip() == str(served.proc.pid)
    assert second != first and loads(tmp_path) == [first, second]
    output = served.output()
    assert output.count("Starting server in PID %d." % served.proc.pid) == 2
    assert "Restarting (SIGHUP)" in output
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert not pid_file.exists()
    # the old worker is gone too
    assert not os.path.exists("/proc/%d" % first) or _zombie(first)


def test_a_second_signal_kills_the_workers_too(granian):
    served = granian()
    worker = json.loads(served.get("/info"))["pid"]
    import threading

    threading.Thread(target=lambda: _quietly(lambda: served.get("/slow?seconds=8", timeout=12)), daemon=True).start()
    time.sleep(0.5)
    served.send(signal.SIGTERM)
    time.sleep(0.3)
    served.send(signal.SIGINT)
    assert served.wait() == 0
    assert "SIGINT again: not waiting for running requests" in served.output()
    deadline = time.monotonic() + 3
    while os.path.exists("/proc/%d" % worker) and not _zombie(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not os.path.exists("/proc/%d" % worker) or _zombie(worker)


def test_a_stop_while_the_worker_loads_the_application_is_quiet(granian):
    served = granian(app_extra="startup_delay = 20\n", ready=False)
    deadline = time.monotonic() + 10
    while "Starting server" not in served.output() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # granian's worker is loading the application
    started = time.monotonic()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert time.monotonic() - started < 3
    assert "Traceback" not in served.output()


def test_an_application_that_fails_to_load_in_the_worker_ends_the_launcher_with_1(granian):
    served = granian(app_extra="fail = yes\n", ready=False)
    assert served.wait(30) == 1
    output = served.output()
    assert "the application failed to load on purpose" in output
    assert "Exiting (the server exited with status 1)" in output


@pytest.mark.parametrize("extra, message", [
    ("bogus = 1", "granian does not know the option bogus (known: backlog, backpressure, "),
    ("ssl_cert = /x.pem", "ssl_cert: not supported by buildout-ts's granian server: bin/instance start checks plain HTTP"),
    ("reload = on", "reload: not supported by buildout-ts's granian server: restart with bin/instance restart"),
    ("workers = many", "workers = many: not a whole number"),
    ("workers = 0", "workers = 0: must be at least 1"),
    ("http1_keep_alive = perhaps", "http1_keep_alive = perhaps: use on or off"),
    ("http = 3", "http = 3: must be one of auto, 1, 2"),
    ("threads = 2\nblocking_threads = 3", "give threads or blocking_threads, not both"),
    ("process_name = zope", "process_name needs setproctitle: add `setproctitle` to [instance] eggs"),
])
def test_a_bad_key_is_refused_before_the_application_loads(tmp_path, extra, message):
    port = free_port()
    ini = write_granian_ini(tmp_path, port, extra)
    r = subprocess.run([sys.executable, "-m", "buildout_ts_wsgi.serve", ini, "--path", str(tmp_path)],
                       env=child_env(), capture_output=True, text=True, timeout=30)
    assert r.returncode == 2, r.stderr
    assert r.stderr.startswith("error: [server:main]") and message in r.stderr, r.stderr
    assert "Traceback" not in r.stderr
    assert loads(tmp_path) == []


def test_options_map_to_granians_keywords():
    kwargs, http1, http2 = granian_options({
        "listen": "[::1]:8090", "workers": "2", "threads": "8", "http": "1", "backpressure": "16",
        "http1-keep-alive": "off", "http1_header_read_timeout": "5000", "log_access": "on",
        "runtime_threads": "2", "paste.server_factory": "ignored",
    })
    assert kwargs == {"address": "::1", "port": 8090, "workers": 2, "blocking_threads": 8, "http": "1",
                      "backpressure": 16, "log_access": True, "runtime_threads": 2}
    assert http1 == {"keep_alive": False, "header_read_timeout": 5000} and http2 == {}
    # defaults: granian's own address, the recipe's port, waitress's thread count
    assert granian_options({}) == ({"address": "127.0.0.1", "port": 8080, "blocking_threads": DEFAULT_THREADS}, {}, {})
    assert section_address({"listen": "8081"}) == ("0.0.0.0", 8081)
    assert section_address({"host": "0.0.0.0", "port": "8082"}) == ("0.0.0.0", 8082)
    for conf, message in (({"listen": "1.2.3.4:1 5.6.7.8:2"}, "granian listens on one address"),
                          ({"listen": "8080", "port": "8081"}, "either listen or host/port"),
                          ({"port": "70000"}, "port = 70000: must be between 1 and 65535")):
        with pytest.raises(LaunchError, match=message):
            granian_options(conf)


def _zombie(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except OSError:
        return True


def _quietly(fn):
    try:
        fn()
    except Exception:
        pass


def test_the_workers_end_when_the_master_is_killed(granian):
    served = granian()
    worker = json.loads(served.get("/info"))["pid"]
    served.send(signal.SIGKILL)
    served.proc.wait()
    deadline = time.monotonic() + 5
    while os.path.exists("/proc/%d" % worker) and not _zombie(worker) and time.monotonic() < deadline:
        time.sleep(0.05)
    # no orphan goes on serving on the port (and holding the database)
    assert not os.path.exists("/proc/%d" % worker) or _zombie(worker)
    with pytest.raises(OSError):
        served.get("/health", timeout=2)


def test_the_build_time_check_applies_the_same_rules(tmp_path, monkeypatch):
    from buildout_ts_wsgi.confcheck import check_wsgi_ini

    monkeypatch.syspath_prepend(str(tmp_path))
    assert check_wsgi_ini(write_granian_ini(tmp_path, 8080)) == {"status": "ok"}
    # the check resolves the application but does not make it
    assert loads(tmp_path) == []
    bad = write_granian_ini(tmp_path, 8080, "http1_keep_alive = perhaps")
    result = check_wsgi_ini(bad)
    assert result["status"] == "error" and result["section"] == "server:main", result
    assert "http1_keep_alive = perhaps: use on or off" in result["message"]
