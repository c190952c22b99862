"""How the launcher stops and restarts: SIGTERM and SIGINT stop every server
gracefully, SIGHUP restarts the launcher in place (same pid), a second signal
or the stop timeout ends the process at once.

Each server needs its own way of being asked to stop (see `server_kind`):

- waitress, cheroot, werkzeug, unknown servers: KeyboardInterrupt raised in
  the main thread. waitress and cheroot then close their listening sockets
  and let their worker threads finish the running requests (5 s each by
  default); the dataflake cheroot runner only stops on KeyboardInterrupt,
  not on SystemExit.
- servers that run the application in the main thread (bjoern, werkzeug
  unless `threaded`): raising there would abort the running request, so the
  application is wrapped in `InFlight` and the interrupt is deferred until
  the request is done.
- bjoern: its C event loop gives Python signal handlers a chance to run but
  ignores their exceptions, and only breaks on SIGINT (libev owns SIGINT
  while bjoern runs). So a SIGTERM becomes a SIGINT to ourselves: bjoern
  stops accepting and finishes its open connections; once no request is in
  flight the process ends (idle keep-alive connections would otherwise keep
  the loop alive).
- gunicorn: its arbiter installs its own handlers (TERM graceful, INT/QUIT
  fast, HUP reloads the workers); nothing to do here.
- granian: its master loop installs handlers too; the runner (granian_server.py)
  takes the signals back with `Stopper.delegate`: a stop signal asks granian to
  stop (its workers answer their running requests), HUP does the same and then
  re-executes, and a forced end kills granian's worker processes first.
"""
from __future__ import annotations

import os
import signal
import sys
import threading
import time

# how long running requests may take to finish after a stop signal, unless
# $BUILDOUT_TS_STOP_TIMEOUT says otherwise; the process ends then at the latest
DEFAULT_STOP_TIMEOUT = 10.0

_NAMES = {signal.SIGTERM: "SIGTERM", signal.SIGINT: "SIGINT", signal.SIGHUP: "SIGHUP"}

# the launcher's Stopper once installed (a server runner that owns a master loop reaches it)
_current = None


def current_stopper():
    return _current


def stop_timeout():
    value = os.environ.get("BUILDOUT_TS_STOP_TIMEOUT", "")
    try:
        return max(0.0, float(value)) if value.strip() else DEFAULT_STOP_TIMEOUT
    except ValueError:
        return DEFAULT_STOP_TIMEOUT


def server_kind(use, server):
    """'bjoern', 'werkzeug', 'werkzeug-threaded', 'gunicorn', 'granian', 'waitress', 'cheroot'
    or 'other': which stop mechanism the loaded server needs."""
    text = (use or "").lower()
    module = getattr(server, "__module__", "") or ""
    for name in ("bjoern", "gunicorn", "granian", "cheroot", "waitress", "werkzeug"):
        if name in text or module.startswith(name) or module.endswith("." + name + "_server"):
            if name == "werkzeug" and getattr(server, "threaded", False):
                return "werkzeug-threaded"
            return name
    if "buildout-ts-wsgi" in text or "buildout_ts_wsgi" in text or "zope2instance" in text:
        return "waitress"
    return "other"


class InFlight:
    """WSGI middleware counting the requests between the application call and
    the end of their response (its body read to the end, or its close()), and
    noting whether the main thread is inside one until close() (a signal handler
    then runs inside that request)."""

    def __init__(self, app, stopper):
        self.app = app
        self.stopper = stopper
        self.count = 0
        self.main_busy = False
        self.main_sent_at = None  # when the main thread's request sent its whole body
        self._lock = threading.Lock()

    def __call__(self, environ, start_response):
        main = threading.current_thread() is threading.main_thread()
        with self._lock:
            self.count += 1
        if main:
            self.main_busy = True
            self.main_sent_at = None
        try:
            result = self.app(environ, start_response)
        except BaseException:
            self._done(main)
            raise
        return _Response(result, self, main)

    def _done(self, main):
        self._uncount()
        self._main_done(main)

    def _uncount(self):
        with self._lock:
            self.count -= 1

    def main_request_left_unclosed(self, seconds):
        """The main thread's request sent its answer `seconds` ago and was never closed."""
        sent = self.main_sent_at
        return self.main_busy and sent is not None and time.monotonic() - sent > seconds

    def _main_done(self, main):
        if main:
            self.main_sent_at = None
            self.main_busy = False
            self.stopper.request_done_in_main_thread()


class _Response:
    def __init__(self, result, tracker, main):
        self._result = result
        self._tracker = tracker
        self._main = main
        self._closed = False
        self._counted = True
        # servers send file wrappers with os.sendfile when they recognise them
        if hasattr(result, "filelike"):
            self.filelike = result.filelike

    def __iter__(self):
        try:
            yield from self._result
        finally:
            # werkzeug (3.1) skips close() when the client resets the connection right after
            # the answer: a body sent to its end (or abandoned) is a request no longer running
            self._uncount()
            if self._main:
                self._tracker.main_sent_at = time.monotonic()

    def _uncount(self):
        if self._counted:
            self._counted = False
            self._tracker._uncount()

    def close(self):
        if self._closed:
            return
        self._closed = True
        try:
            closer = getattr(self._result, "close", None)
            if closer is not None:
                closer()
        finally:
            self._uncount()
            self._tracker._main_done(self._main)


class Stopper:
    """The launcher's signal handling (installed before the application loads)."""

    def __init__(self, out, on_exit):
        self.pid = os.getpid()
        self.out = out  # prints a line (or nothing with -q)
        self.on_exit = on_exit  # cleanup before a forced exit: pid file, database
        self.signal = None  # the first stop/restart signal received
        self.kind = None  # set once the server runs (None: still loading)
        self.inflight = None
        self._pending = False
        self._watchdog = None
        self._ending = threading.Lock()
        self._ttys = []
        self.timeout = stop_timeout()
        self._delegated_stop = None  # asks a server with its own master loop to stop
        self._delegated_kill = None  # ends that server's worker processes at once

    @property
    def restart(self):
        return self.signal == signal.SIGHUP

    def install(self):
        global _current
        _current = self
        # a hang-up of the terminal `fg` runs in also sends SIGHUP: that one stops
        self._ttys = [fd for fd in (0, 1, 2) if _isatty(fd)]
        self._take_signals()

    def _take_signals(self):
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, self._handle)

    def delegate(self, stop, kill):
        """For a server that runs its own master loop and signal handlers (granian): the
        signals come back to us; a stop or restart calls `stop()` (the server's graceful
        stop, from the signal handler), a forced end calls `kill()` first."""
        self._delegated_stop = stop
        self._delegated_kill = kill
        self._take_signals()

    def wrap(self, app, kind):
        """Called just before serving: the application the server gets."""
        self.kind = kind
        if kind in ("bjoern", "werkzeug", "werkzeug-threaded"):
            self.inflight = InFlight(app, self)
            app = self.inflight
        if kind == "bjoern" and sigint_caught() is not None:
            threading.Thread(target=self._watch_bjoern_sigint, name="buildout-ts SIGINT watch", daemon=True).start()
        from . import logreopen

        logreopen.install(kind)
        return app

    def name(self):
        return _NAMES.get(self.signal, str(self.signal))

    def _handle(self, signum, frame):
        if os.getpid() != self.pid:
            raise KeyboardInterrupt  # a forked child that kept our handler
        if self.kind == "bjoern" and signum == signal.SIGINT:
            # libev owns SIGINT while bjoern's loop runs: Python sees it once the loop has ended
            # (bjoern then simulates one) or before the loop started; unwind normally
            if self.signal is None:
                self.signal = signum
            raise KeyboardInterrupt
        if self.signal is not None:
            # a second signal: the operator wants it gone now
            self.finish(0, restart=False,
                        say="Exiting (%s again: not waiting for running requests)" % _NAMES.get(signum, signum))
        if signum == signal.SIGHUP and any(not _isatty(fd) for fd in self._ttys):
            signum = signal.SIGTERM  # the terminal is gone: nobody to restart for
        self.signal = signum
        if self.kind is None:
            raise KeyboardInterrupt  # still loading: unwind at once
        self._start_watchdog()
        if self.kind == "bjoern":
            # exceptions raised here would be ignored by bjoern's loop; its SIGINT watcher stops it
            os.kill(self.pid, signal.SIGINT)
            return
        if self._delegated_stop is not None:
            self._delegated_stop()
            return
        if self.inflight is not None and self.inflight.main_busy:
            self._pending = True  # raised when the request running in this thread is done
            return
        raise KeyboardInterrupt

    def request_done_in_main_thread(self):
        if self._pending and self.kind != "bjoern":
            self._pending = False
            raise KeyboardInterrupt

    def wait_for_requests(self, deadline=None):
        """After the server returned: let requests in other threads finish."""
        if self.inflight is None:
            return
        deadline = deadline or (time.monotonic() + self.timeout)
        while self.inflight.count > 0 and time.monotonic() < deadline:
            time.sleep(0.05)

    def _start_watchdog(self):
        if self._watchdog is not None:
            return
        self._watchdog = threading.Thread(target=self._watch, name="buildout-ts stop watchdog", daemon=True)
        self._watchdog.start()

    def _watch(self):
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            time.sleep(0.05)
            if self.kind == "bjoern" and self.inflight.count == 0:
                # bjoern no longer accepts (SIGINT) and no request runs: what is left are idle
                # keep-alive connections, which would keep its loop alive
                self.finish(0, restart=self.restart, say="Restarting (SIGHUP)" if self.restart else "Exiting")
            if self._pending and self.inflight.main_request_left_unclosed(0.5):
                # the stop waits for a close() that the server skipped (werkzeug after a client's
                # reset): the request was answered, nothing runs any more
                self.finish(0, restart=self.restart, say="Restarting (SIGHUP)" if self.restart else "Exiting")
        busy = self.inflight.count if self.inflight is not None else None
        detail = "" if busy is None else " (%d request(s) still running)" % busy
        self.finish(0, restart=self.restart, say="%s: the server did not stop within %g s after %s%s"
                    % ("Restarting" if self.restart else "Exiting", self.timeout, self.name(), detail))

    def _watch_bjoern_sigint(self):
        # a SIGINT (Ctrl-C) goes straight to libev, which stops accepting and then gives SIGINT
        # back to the default action: that is how we learn of it while bjoern still runs
        while self.signal is None:
            time.sleep(0.1)
            # our own handlers set self.signal before they forward SIGINT to libev
            if self.signal is None and not sigint_caught():
                self.signal = signal.SIGINT
                self._start_watchdog()
                return

    def claim_end(self):
        """Only one thread ends the process (the main thread's normal path, the watchdog, a
        second signal): the others wait here for the exit or the re-exec."""
        if self._ending.acquire(blocking=False):
            return
        while True:
            time.sleep(60)

    def finish(self, code, restart, say=None):
        """Ends the process now (from any thread): cleanup, then exit or re-exec."""
        self.claim_end()
        if say:
            self.out(say)
        try:
            if self._delegated_kill is not None:
                self._delegated_kill()
            self.on_exit(restart)
            import logging

            logging.shutdown()  # flushes and closes the log files
        except Exception:
            pass
        if restart:
            reexec()
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def _isatty(fd):
    try:
        return os.isatty(fd)
    except OSError:
        return False


def sigint_caught():
    """Whether this process catches SIGINT (Linux's /proc), None where unknown."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("SigCgt:"):
                    return bool(int(line.split()[1], 16) & (1 << (signal.SIGINT - 1)))
    except (OSError, ValueError):
        pass
    return None


def reexec(module="buildout_ts_wsgi.serve"):
    """Replaces this process with a fresh one with the same arguments (same pid)."""
    argv = list(getattr(sys, "orig_argv", []) or [sys.executable, "-m", module, *sys.argv[1:]])
    sys.stdout.flush()
    sys.stderr.flush()
    os.execv(sys.executable, argv)
