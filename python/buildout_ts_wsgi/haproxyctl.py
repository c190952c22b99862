"""The control logic behind a balancer's script `bin/<part>` (buildout-ts:haproxy part).

haproxy runs in master-worker mode (`-W`) in the foreground of its own session (`-db`, as
bin/instance runs its server), its output -- haproxy's log lines, `log stdout` -- appended
to the part's log file. The master's pid is the pid file's. Signals to the master:
USR2 reloads (new workers with the re-read configuration; the old ones finish their
connections), USR1 is the graceful stop (stop accepting, let the running requests finish,
at most `hard-stop-after`), TERM the immediate one.
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time

from . import daemon, haproxyapi, pidfile
from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_NOT_RUNNING, EXIT_OK, LaunchError, run_command

USAGE = """usage: %(prog)s [--timeout SECONDS] COMMAND [ARGS]

The haproxy balancer of the part [%(part)s] (%(config)s).

commands:
  start            check the configuration, start haproxy in the background; returns
                   once it accepts connections on %(bind)s
  stop             graceful stop: no new connections, running requests finish; TERM,
                   then KILL after the timeout
  reload           check the configuration, then load it without dropping a connection
  restart          stop, then start
  status           whether it runs (exit 0, or 3), and the state of every instance
  fg               run in the foreground (Ctrl-C stops it)
  check            check the configuration (haproxy -c)
  drain NAME       send no new requests to the instance NAME; its running ones finish
  maint NAME       take the instance NAME out completely (no health checks either)
  ready NAME       put the instance NAME back
  help             this text

--timeout: seconds to wait for start (default 30) or stop (default 30).
Exit codes: 0 success/running, 1 failed, 2 configuration or environment problem, 3 not running.
"""

_COMMANDS = ("start", "stop", "reload", "restart", "status", "fg", "foreground", "check", "drain", "maint", "ready", "help")


class Balancer:
    def __init__(self, part, haproxy, config, pid_file, admin_socket, log_file, bind, backend, directory):
        self.part = part
        self.directory = directory
        self.haproxy = haproxy
        self.config = config
        self.pid_file = pid_file
        self.admin_socket = admin_socket
        self.log_file = log_file
        self.bind = bind
        self.backend = backend

    def argv(self):
        return [self.haproxy, "-W", "-db", "-f", self.config]

    def running_pid(self, report=True):
        pid = pidfile.read(self.pid_file)
        if pid is None:
            return None
        if pidfile.alive(pid) and pidfile.is_server(pid, markers=(b"haproxy",)):
            return pid
        pidfile.remove(self.pid_file)
        if report:
            print("stale pid file %s removed (process %d is gone or another program)" % (self.pid_file, pid))
        return None

    def check_config(self):
        import subprocess

        r = subprocess.run([self.haproxy, "-c", "-q", "-f", self.config], stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True)
        if r.returncode != 0:
            raise LaunchError("haproxy refuses %s:\n%s" % (self.config, r.stdout.strip()), EXIT_CONFIG)

    # --- commands ---

    def do_start(self, timeout):
        pid = self.running_pid()
        if pid is not None:
            print("balancer already running; pid=%d" % pid)
            return EXIT_OK
        self.check_config()
        log, offset = daemon.open_console_log(self.log_file)
        with log:
            # the buildout directory: parts/<part> is replaced when buildout runs again, and a
            # master whose working directory is gone cannot reload
            proc = daemon.spawn(self.argv(), self.directory, dict(os.environ), log)
        pidfile.write(self.pid_file, proc.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pidfile.remove_if_ours(self.pid_file, proc.pid)
                print("haproxy exited with code %s; its output (%s):" % (proc.returncode, self.log_file))
                daemon.print_tail(self.log_file, offset)
                return EXIT_FAILED
            if _accepts(self.bind) and haproxyapi.answers(self.admin_socket):
                print("balancer started, pid=%d (listening on %s)" % (proc.pid, self.bind))
                return EXIT_OK
            time.sleep(0.05)
        print("haproxy (pid %d) does not accept connections on %s after %g s; see %s" % (proc.pid, self.bind, timeout, self.log_file))
        daemon.print_tail(self.log_file, offset)
        return EXIT_FAILED

    def do_stop(self, timeout):
        pid = self.running_pid()
        if pid is None:
            print("balancer not running")
            return EXIT_OK
        from .waiting import wait_until_gone

        started = time.monotonic()
        daemon.send(pid, signal.SIGUSR1)
        if wait_until_gone(pid, timeout):
            pidfile.remove_if_ours(self.pid_file, pid)
            print("balancer stopped (pid %d, graceful, %.1f s)" % (pid, time.monotonic() - started))
            return EXIT_OK
        return daemon.stop(pid, 5.0, self.pid_file)

    def do_reload(self, timeout):
        pid = self.running_pid()
        if pid is None:
            print("balancer not running")
            return EXIT_NOT_RUNNING
        self.check_config()
        before = _worker(self.admin_socket)
        daemon.send(pid, signal.SIGUSR2)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now = _worker(self.admin_socket)
            if now is not None and now != before:
                print("balancer reloaded (master pid %d, new worker %d)" % (pid, now))
                return EXIT_OK
            if not pidfile.alive(pid):
                print("the balancer died while reloading; see %s" % self.log_file)
                return EXIT_FAILED
            time.sleep(0.05)
        print("the balancer did not start a new worker within %g s; see %s" % (timeout, self.log_file))
        return EXIT_FAILED

    def do_status(self):
        pid = self.running_pid()
        if pid is None:
            print("program not running")
            return EXIT_NOT_RUNNING
        print("program running; pid=%d" % pid)
        try:
            for s in haproxyapi.servers(self.admin_socket, self.backend):
                print("  %-20s %-10s %d running, %d queued (check: %s)" % (s.name, s.status, s.sessions, s.queued, s.check or "-"))
        except LaunchError as e:
            print("  (%s)" % e)
        return EXIT_OK

    def do_state(self, state, names):
        if not names:
            raise LaunchError("%s needs the name of an instance (see `status`)" % state)
        for name in names:
            haproxyapi.server(self.admin_socket, self.backend, name)  # a clear error for an unknown name
            haproxyapi.set_state(self.admin_socket, self.backend, name, state)
            print("%s: %s" % (name, {"ready": "back in the balancer", "drain": "draining (no new requests)",
                                     "maint": "out of the balancer (maintenance)"}[state]))
        return EXIT_OK

    def do_fg(self):
        if self.running_pid() is not None:
            print("the balancer is running already; stop it first")
            return EXIT_FAILED
        self.check_config()
        sys.stdout.flush()
        os.chdir(self.directory)
        os.execv(self.haproxy, self.argv())


def main(part, haproxy, config, pid_file, admin_socket, log_file, bind, backend, directory=None, argv=()):
    # scripts written before `directory` was passed: the buildout directory above var/
    directory = directory or os.path.dirname(os.path.dirname(os.path.abspath(pid_file)))
    b = Balancer(part, haproxy, config, pid_file, admin_socket, log_file, bind, backend, directory)
    return run_command(_dispatch, b, argv, part)


def _dispatch(b, argv, prog):
    timeout, rest = daemon.split_timeout(argv)
    usage = USAGE % {"prog": prog, "part": b.part, "config": b.config, "bind": b.bind}
    if not rest:
        sys.stderr.write(usage)
        return EXIT_CONFIG
    command, args = rest[0], rest[1:]
    if command in ("help", "-h", "--help") or "-h" in args or "--help" in args:
        print(usage, end="")
        return EXIT_OK
    if command not in _COMMANDS:
        raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))
    if command == "start":
        return b.do_start(timeout or 30.0)
    if command == "stop":
        return b.do_stop(timeout or 30.0)
    if command == "restart":
        code = b.do_stop(timeout or 30.0)
        return code if code != EXIT_OK else b.do_start(timeout or 30.0)
    if command == "reload":
        return b.do_reload(timeout or 30.0)
    if command == "status":
        return b.do_status()
    if command in ("fg", "foreground"):
        return b.do_fg()
    if command == "check":
        b.check_config()
        print("configuration valid: %s" % b.config)
        return EXIT_OK
    return b.do_state(command, args)


def _accepts(address):
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    if host in ("", "*", "0.0.0.0"):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    try:
        with socket.create_connection((host, int(port)), timeout=1):
            return True
    except OSError:
        return False


def _worker(admin_socket):
    try:
        return haproxyapi.worker_pid(admin_socket)
    except (LaunchError, OSError):
        return None
