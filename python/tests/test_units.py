"""Small units of buildout_ts_wsgi: errors, addresses, .env, pid files, signals, --timeout."""
from __future__ import annotations

import errno
import logging.config
import os
import signal
import subprocess
import sys

import pytest

from buildout_ts_wsgi import daemon, dotenv, pidfile, stopping
from buildout_ts_wsgi.addresses import parse_listen, section_addresses
from buildout_ts_wsgi.errors import LaunchError, os_error_in, os_error_message


def test_os_error_message_names_the_path_and_the_problem():
    e = OSError(errno.EROFS, os.strerror(errno.EROFS), "/srv/site/var/log")
    assert os_error_message(e) == "/srv/site/var/log: Read-only file system"
    assert os_error_message(OSError(errno.EXDEV, "Invalid cross-device link", "/a", None, "/b")) == \
        "/a -> /b: Invalid cross-device link"


def test_os_error_in_finds_the_cause_that_logging_wraps(tmp_path):
    missing = tmp_path / "no" / "such" / "event.log"
    config = {"version": 1, "handlers": {"h": {"class": "logging.FileHandler", "filename": str(missing)}}}
    with pytest.raises(ValueError) as info:
        logging.config.dictConfig(config)
    cause = os_error_in(info.value)
    assert cause is not None and cause.filename == str(missing)
    assert os_error_in(ValueError("not an OS error")) is None


def test_listen_addresses():
    assert parse_listen("0.0.0.0:8080 [::]:8081 *:8082 8083 localhost:1") == [
        ("0.0.0.0", 8080), ("::", 8081), ("", 8082), ("0.0.0.0", 8083), ("localhost", 1)]
    for bad, message in [("[::1]8080", r"expected \[IPv6\]:PORT"), ("host:http", "invalid port")]:
        with pytest.raises(LaunchError, match=message):
            parse_listen(bad)
    assert section_addresses("egg:dataflake.wsgi.bjoern#main", {"listen": "127.0.0.1:8081"}) == [("127.0.0.1", 8081)]
    assert section_addresses("egg:gunicorn#main", {"host": "127.0.0.1", "port": "9"}) == [("127.0.0.1", 9)]
    # granian: its own defaults (127.0.0.1, the recipe's 8080), one address
    assert section_addresses("egg:buildout-ts-wsgi#granian", {}) == [("127.0.0.1", 8080)]
    assert section_addresses("egg:buildout-ts-wsgi#granian", {"listen": "*:8090"}) == [("0.0.0.0", 8090)]


def test_dotenv_follows_python_dotenv_for_the_common_forms():
    text = "\n".join(["# c", "A=1", "export B = two words ", "C='single # not comment'", 'D="x\\ny"',
                      "E=v # comment", "F=", 'G="multi', 'line"', "bad line", "H=a=b"])
    assert dotenv.parse(text) == {"A": "1", "B": "two words", "C": "single # not comment", "D": "x\ny",
                                  "E": "v", "F": "", "G": "multi\nline", "H": "a=b"}


def test_pid_files(tmp_path):
    path = str(tmp_path / "var" / "x.pid")
    pidfile.write(path, 12345)
    assert pidfile.read(path) == 12345
    pidfile.remove_if_ours(path, 1)
    assert pidfile.read(path) == 12345
    pidfile.remove_if_ours(path, 12345)
    assert pidfile.read(path) is None
    assert pidfile.alive(os.getpid())
    # this process runs pytest: not one of ours, unless the markers say so
    assert not pidfile.is_server(os.getpid())
    assert pidfile.is_server(os.getpid(), markers=(b"pytest",))
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    assert not pidfile.alive(finished.pid)


def test_signals_by_name_or_number():
    assert daemon.parse_signal("HUP") == daemon.parse_signal("sighup") == daemon.parse_signal("1") == signal.SIGHUP
    for bad in ("NOPE", "0", "999", "SIG_DFL"):
        with pytest.raises(LaunchError, match="unknown signal"):
            daemon.parse_signal(bad)


def test_timeout_before_the_command_or_after_start_stop_restart():
    assert daemon.split_timeout(["--timeout", "5", "start"]) == (5.0, ["start"])
    assert daemon.split_timeout(["stop", "--timeout=2.5"]) == (2.5, ["stop"])
    # other commands' arguments are theirs (run SCRIPT --timeout ...)
    assert daemon.split_timeout(["run", "x.py", "--timeout", "3"]) == (None, ["run", "x.py", "--timeout", "3"])
    for bad in (["--timeout", "soon", "start"], ["--timeout", "0", "stop"], ["--timeout"]):
        with pytest.raises(LaunchError, match="--timeout needs"):
            daemon.split_timeout(bad)


def test_stop_timeout_from_the_environment(monkeypatch):
    monkeypatch.delenv("BUILDOUT_TS_STOP_TIMEOUT", raising=False)
    assert stopping.stop_timeout() == stopping.DEFAULT_STOP_TIMEOUT
    monkeypatch.setenv("BUILDOUT_TS_STOP_TIMEOUT", "2.5")
    assert stopping.stop_timeout() == 2.5
    monkeypatch.setenv("BUILDOUT_TS_STOP_TIMEOUT", "soon")
    assert stopping.stop_timeout() == stopping.DEFAULT_STOP_TIMEOUT


@pytest.mark.parametrize("use,kind", [
    ("egg:dataflake.wsgi.bjoern#main", "bjoern"),
    ("egg:dataflake.wsgi.cheroot#main", "cheroot"),
    ("egg:dataflake.wsgi.werkzeug#debugger", "werkzeug"),
    ("egg:gunicorn#main", "gunicorn"),
    ("egg:waitress#main", "waitress"),
    ("egg:buildout-ts-wsgi#main", "waitress"),
    ("egg:buildout-ts-wsgi#granian", "granian"),
    ("egg:plone.recipe.zope2instance#main", "waitress"),
    ("call:my.server:factory", "other"),
])
def test_server_kind_decides_how_to_stop(use, kind):
    assert stopping.server_kind(use, None) == kind


class _CountingStopper:
    """What InFlight tells the stopper: a request of the main thread ended."""
    done = 0

    def request_done_in_main_thread(self):
        self.done += 1


def _two_chunks(environ, start_response):
    start_response("200 OK", [])
    return [b"a", b"b"]


def test_in_flight_counts_until_the_response_is_closed():
    stopper = _CountingStopper()
    tracked = stopping.InFlight(_two_chunks, stopper)
    response = tracked({}, lambda *a: None)
    assert tracked.count == 1 and tracked.main_busy
    assert b"".join(response) == b"ab"
    response.close()
    response.close()  # servers may close twice: counted once
    assert tracked.count == 0 and not tracked.main_busy and stopper.done == 1


def test_in_flight_a_body_sent_to_its_end_is_no_longer_running_even_unclosed():
    # werkzeug skips close() when the client resets the connection after the answer
    stopper = _CountingStopper()
    tracked = stopping.InFlight(_two_chunks, stopper)
    response = tracked({}, lambda *a: None)
    assert not tracked.main_request_left_unclosed(0)
    assert b"".join(response) == b"ab"
    assert tracked.count == 0
    # the main thread's request is over only at close(); a stop waits for it, but not forever
    assert tracked.main_busy and stopper.done == 0
    assert tracked.main_request_left_unclosed(0) and not tracked.main_request_left_unclosed(60)
    response.close()
    assert tracked.count == 0 and not tracked.main_busy and stopper.done == 1
    assert not tracked.main_request_left_unclosed(0)


def test_sigint_caught_reads_the_process_signal_mask():
    assert stopping.sigint_caught() is True  # Python's default SIGINT handler
    code = "import signal; signal.signal(signal.SIGINT, signal.SIG_DFL); " \
           "from buildout_ts_wsgi.stopping import sigint_caught; print(sigint_caught())"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
