"""Shared fixtures of the Python unit tests (run by test/e2e/instance-python-unit.test.ts with
the cached `servers` environment: PasteDeploy, the WSGI servers, pytest, the demo app)."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# [server:main] bodies, as the recipe and the training's templates write them
SERVER_MAIN = {
    "ours": "use = egg:buildout-ts-wsgi#main\nfast-listen = 127.0.0.1:{port}\nthreads = 4\n",
    "waitress": "use = egg:waitress#main\nlisten = 127.0.0.1:{port}\nthreads = 4\n",
    "cheroot": "use = egg:dataflake.wsgi.cheroot#main\nhost = 127.0.0.1\nport = {port}\n",
    "werkzeug": "use = egg:dataflake.wsgi.werkzeug#main\nhostname = 127.0.0.1\nport = {port}\n",
    "werkzeug-threaded": "use = egg:dataflake.wsgi.werkzeug#main\nhostname = 127.0.0.1\nport = {port}\nthreaded = on\n",
    "gunicorn": "use = egg:gunicorn#main\nhost = 127.0.0.1\nport = {port}\n",
    "bjoern": "use = egg:dataflake.wsgi.bjoern#main\nlisten = 127.0.0.1:{port}\nreuse_port = True\n",
    "granian": "use = egg:buildout-ts-wsgi#granian\nhost = 127.0.0.1\nport = {port}\nworkers = 1\nthreads = 4\n",
}
SERVERS = ["ours", "waitress", "cheroot", "werkzeug", "werkzeug-threaded", "gunicorn", "bjoern", "granian"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_ini(directory, server, port, app_extra=""):
    ini = os.path.join(str(directory), "demo.ini")
    with open(ini, "w") as f:
        f.write("[server:main]\n%s\n[app:main]\nuse = egg:buildout-ts-demo#main\n%s\n"
                % (SERVER_MAIN[server].format(port=port), app_extra))
    return ini


class Served:
    """The launcher (`python -m buildout_ts_wsgi.serve`) in a child process."""

    def __init__(self, ini, port, args=(), env=None):
        self.port = port
        self.log = open(ini + ".log", "w+")
        self.proc = subprocess.Popen([sys.executable, "-m", "buildout_ts_wsgi.serve", ini, *args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env or child_env(),
                                     cwd=os.path.dirname(ini))

    def get(self, path, timeout=10):
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (self.port, path), timeout=timeout) as r:
            return r.read().decode()

    def wait_ready(self, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("the launcher exited (%s):\n%s" % (self.proc.returncode, self.output()))
            try:
                return self.get("/health", timeout=1)
            except OSError:
                time.sleep(0.05)
        raise AssertionError("no answer within %s s:\n%s" % (timeout, self.output()))

    def send(self, signum):
        self.proc.send_signal(signum)

    def wait(self, timeout=15):
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise AssertionError("still running %s s after the signal:\n%s" % (timeout, self.output()))

    def output(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait()
        self.log.close()


def child_env(**extra):
    env = dict(os.environ)
    env["PYTHONPATH"] = SOURCE + os.pathsep + env.get("PYTHONPATH", "")
    env.update(extra)
    return env


@pytest.fixture
def serve(tmp_path):
    started = []

    def start(server, app_extra="", args=(), env=None):
        port = free_port()
        s = Served(write_ini(tmp_path, server, port, app_extra), port, args, env)
        started.append(s)
        s.wait_ready()
        return s

    yield start
    for s in started:
        s.close()
