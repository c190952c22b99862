"""SIGTERM, SIGINT and SIGHUP with every server (the demo app; the proofs with a real Zope
and ZEO are the end-to-end tests in test/e2e/instance-zope-zeo.e2e.test.ts)."""
from __future__ import annotations

import json
import re
import signal
import threading
import time

import pytest
from conftest import SERVERS, child_env


def slow_request(served, seconds):
    result = {}

    def run():
        try:
            result["body"] = served.get("/slow?seconds=%s" % seconds, timeout=seconds + 10)
        except Exception as e:  # noqa: BLE001 - the test reports what the client saw
            result["error"] = repr(e)

    t = threading.Thread(target=run)
    t.start()
    return t, result


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["TERM", "INT"])
@pytest.mark.parametrize("server", SERVERS)
def test_a_stop_signal_lets_the_request_in_flight_finish_and_exits_0(serve, server, signum):
    served = serve(server)
    thread, result = slow_request(served, 1.5)
    time.sleep(0.5)  # the request is running
    started = time.monotonic()
    served.send(signum)
    assert served.wait() == 0
    thread.join()
    output = served.output()
    assert "Exiting" in output
    if server == "gunicorn" and signum == signal.SIGINT:
        # gunicorn's own rule: SIGINT is its quick stop (running requests are cut)
        assert "error" in result
        return
    assert "Traceback" not in output
    # the full answer of the request in flight (it may take a little longer on a busy machine)
    assert re.match(r"slept (1\.[5-9]|[2-9]\.\d) s in process ", result.get("body", "")), (result, output)
    # it waited for the request, not for a timeout
    assert time.monotonic() - started < 5


@pytest.mark.parametrize("server", ["bjoern", "cheroot", "ours", "werkzeug", "granian"])
def test_an_idle_keep_alive_connection_does_not_delay_the_stop(serve, server):
    import http.client

    served = serve(server)
    conn = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    conn.request("GET", "/health")
    assert conn.getresponse().read() == b"ok\n"
    started = time.monotonic()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert time.monotonic() - started < 3
    conn.close()


@pytest.mark.parametrize("server", ["werkzeug-threaded", "werkzeug"])
def test_clients_that_reset_the_connection_after_the_answer_do_not_delay_the_stop(serve, server):
    # werkzeug (3.1) does not call the response's close() when the client resets the
    # connection right after the answer (its drain of the socket raises first); wrk does
    # that at its end. The requests are over all the same: the stop must not wait for them.
    import socket
    import struct

    served = serve(server)
    for _ in range(20):
        with socket.create_connection(("127.0.0.1", served.port), timeout=5) as s:
            s.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            answer = b""
            while not answer.endswith(b"ok\n"):
                chunk = s.recv(65536)
                assert chunk, answer
                answer += chunk
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # RST
    time.sleep(0.2)
    started = time.monotonic()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert time.monotonic() - started < 3, served.output()
    assert "did not stop within" not in served.output()


@pytest.mark.parametrize("server", ["bjoern", "ours", "werkzeug", "granian"])
def test_a_second_signal_stops_at_once(serve, server):
    served = serve(server)
    thread, result = slow_request(served, 8)
    time.sleep(0.5)
    served.send(signal.SIGTERM)
    time.sleep(0.3)
    started = time.monotonic()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert time.monotonic() - started < 2
    assert "SIGTERM again: not waiting for running requests" in served.output()
    thread.join()
    assert "error" in result


@pytest.mark.parametrize("server", ["bjoern", "werkzeug", "granian"])
def test_the_stop_timeout_ends_a_request_that_takes_too_long(serve, server):
    served = serve(server, env=child_env(BUILDOUT_TS_STOP_TIMEOUT="1"))
    thread, result = slow_request(served, 8)
    time.sleep(0.5)
    started = time.monotonic()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert 0.9 < time.monotonic() - started < 3
    # (granian's requests run in its worker process: the launcher does not count them)
    detail = "" if server == "granian" else " (1 request(s) still running)"
    assert "the server did not stop within 1 s after SIGTERM%s" % detail in served.output()
    thread.join()


@pytest.mark.parametrize("server", ["ours", "bjoern", "cheroot", "werkzeug"])
def test_sighup_restarts_in_place_and_reloads(serve, server, tmp_path):
    served = serve(server, args=["--pid-file", str(tmp_path / "demo.pid")])
    before = json.loads(served.get("/info"))
    assert before["pid"] == served.proc.pid
    served.send(signal.SIGHUP)
    time.sleep(0.3)
    served.wait_ready()
    after = json.loads(served.get("/info"))
    # the same process (pid file unchanged), re-executed: the application was loaded again
    assert after["pid"] == served.proc.pid
    assert (tmp_path / "demo.pid").read_text().strip() == str(served.proc.pid)
    assert served.output().count("Starting server in PID %d." % served.proc.pid) == 2
    assert "Restarting (SIGHUP)" in served.output()
    served.send(signal.SIGTERM)
    assert served.wait() == 0
    assert not (tmp_path / "demo.pid").exists()


def test_gunicorn_loads_the_application_in_its_worker(serve):
    served = serve("gunicorn")
    worker = json.loads(served.get("/info"))["pid"]
    assert worker != served.proc.pid
    # HUP is gunicorn's: a new worker, which loads the application again
    served.send(signal.SIGHUP)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        time.sleep(0.2)
        try:
            if json.loads(served.get("/info", timeout=2))["pid"] != worker:
                break
        except OSError:
            pass
    else:
        raise AssertionError("no new worker after SIGHUP:\n" + served.output())
    served.send(signal.SIGTERM)
    assert served.wait() == 0


def test_a_stop_while_the_application_loads_exits_0_without_traceback(tmp_path):
    from conftest import Served, free_port, write_ini

    port = free_port()
    served = Served(write_ini(tmp_path, "ours", port, "startup_delay = 20"), port)
    try:
        deadline = time.monotonic() + 10
        while "fast-listen: bound" not in served.output() and time.monotonic() < deadline:
            time.sleep(0.05)
        served.send(signal.SIGTERM)
        assert served.wait() == 0
        assert "Exiting" in served.output()
        assert "Traceback" not in served.output() and "Starting server" not in served.output()
    finally:
        served.close()


def test_a_terminal_hang_up_stops_instead_of_restarting(tmp_path):
    """Closing the terminal `fg` runs in sends SIGHUP too: that one must stop the server."""
    import fcntl
    import os
    import pty
    import subprocess
    import sys
    import termios

    from conftest import free_port, write_ini

    port = free_port()
    ini = write_ini(tmp_path, "ours", port)
    master, slave = pty.openpty()

    def controlling_terminal():
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    proc = subprocess.Popen([sys.executable, "-m", "buildout_ts_wsgi.serve", ini], stdin=slave, stdout=slave,
                            stderr=slave, start_new_session=True, preexec_fn=controlling_terminal,
                            env=child_env(), cwd=str(tmp_path))
    os.close(slave)
    output = b""
    try:
        deadline = time.monotonic() + 30
        while b"Starting server" not in output and time.monotonic() < deadline:
            output += os.read(master, 4096)
        assert b"Starting server" in output
        os.close(master)  # the terminal goes away: the kernel sends SIGHUP
        assert proc.wait(10) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
