"""The control logic behind the ZEO server's script `bin/<part>` (plone.recipe.zeoserver
part), without zdaemon: `fg` becomes the server, `start` runs it in its own session
and returns once it accepts connections, `stop` sends SIGTERM then SIGKILL.
The server itself is `python -m buildout_ts_wsgi.zeoserve -C zeo.conf` (ZEO's
runzeo, restarted in place on SIGHUP)."""
from __future__ import annotations

import importlib.util
import os
import socket
import sys
import time

from . import daemon, pidfile
from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_NOT_RUNNING, EXIT_OK, LaunchError, run_command

USAGE = """usage: %(prog)s [--timeout SECONDS] COMMAND [ARGS]

The ZEO server of the part [%(part)s] (zeo.conf: %(zeo_conf)s).

commands:
  fg, foreground   run in the foreground (this process becomes the server)
  start            start in the background; returns once it accepts connections
  stop             SIGTERM, SIGKILL after the timeout
  restart          stop, then start
  status           exit 0 if running, 3 if not
  kill [SIGNAL]    send a signal (default TERM; HUP restarts the server in place,
                   USR2 reopens its log files)
  logtail          print the end of the server's log and follow it (Ctrl-C ends)
  help [COMMAND]   this text (also COMMAND --help)

--timeout: seconds to wait for start (default 60) or for a stop (default 30).
Exit codes: 0 success/running, 1 failed, 2 configuration or environment problem, 3 not running.
"""

_MARKERS = (b"buildout_ts_wsgi", b"runzeo")
_COMMANDS = ("fg", "foreground", "start", "stop", "restart", "status", "kill", "logtail", "help")


class ZeoServer:
    def __init__(self, part, python, zeo_conf, pid_file, log_file, address):
        self.part = part
        self.python = python
        self.zeo_conf = zeo_conf
        self.pid_file = pid_file
        self.log_file = log_file
        self.address = address

    def server_argv(self):
        return [self.python, "-m", "buildout_ts_wsgi.zeoserve", "-C", self.zeo_conf]

    def console_log(self):
        return os.path.join(os.path.dirname(self.log_file), "%s-console.log" % self.part)

    def require_zeo(self):
        if importlib.util.find_spec("ZEO") is None:
            raise LaunchError("ZEO is not importable in this buildout's Python environment: add ZEO to the "
                              "eggs of [%s] (it brings ZODB) and run bin/buildout again" % self.part)

    def running_pid(self, report=True):
        pid = pidfile.read(self.pid_file)
        if pid is None:
            return None
        if pidfile.alive(pid) and pidfile.is_server(pid, _MARKERS):
            return pid
        pidfile.remove(self.pid_file)
        if report:
            print("stale pid file %s removed (process %d is not the ZEO server)" % (self.pid_file, pid))
        return None

    def fg(self, args):
        self.require_zeo()
        pid = self.running_pid()
        if pid is not None:
            print("the ZEO server seems to be running already (pid %d); stop it first" % pid)
            return EXIT_FAILED
        sys.stdout.flush()
        sys.stderr.flush()
        os.execv(self.python, self.server_argv() + list(args))

    def start(self, args, timeout):
        self.require_zeo()
        pid = self.running_pid()
        if pid is not None:
            print("daemon process already running; pid=%d" % pid)
            return EXIT_OK
        log_path = self.console_log()
        log, offset = daemon.open_console_log(log_path)
        with log:
            # the working directory of the recipe's zdaemon runner: $INSTANCE, parts/<part>
            proc = daemon.spawn(self.server_argv() + list(args), os.path.dirname(os.path.dirname(self.zeo_conf)), None, log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                print("the ZEO server exited with code %s; its output (%s):" % (proc.returncode, log_path))
                daemon.print_tail(log_path, offset)
                return EXIT_FAILED
            # runzeo writes the pid file before it listens; then the address must answer
            if pidfile.read(self.pid_file) == proc.pid and reachable(self.address):
                print("daemon process started, pid=%d (listening on %s)" % (proc.pid, self.address))
                return EXIT_OK
            time.sleep(0.05)
        print("the ZEO server (pid %d) does not accept connections on %s after %g s; it keeps running, see %s"
              % (proc.pid, self.address, timeout, log_path))
        daemon.print_tail(log_path, offset)
        return EXIT_FAILED

    def stop(self, timeout):
        pid = self.running_pid()
        if pid is None:
            print("daemon process not running")
            return EXIT_OK
        return daemon.stop(pid, timeout, self.pid_file)

    def status(self):
        pid = self.running_pid()
        if pid is None:
            print("program not running")
            return EXIT_NOT_RUNNING
        print("program running; pid=%d" % pid)
        return EXIT_OK

    def kill(self, args):
        return daemon.kill_command(self.running_pid(), args, daemon.REOPEN_VERBS)


def reachable(address):
    """Whether the ZEO address accepts connections (a Unix socket: whether it exists)."""
    address = address.strip()
    if ":" not in address and not address.isdigit():
        return os.path.exists(address)
    host, _, port = address.rpartition(":")
    host = host.strip("[]")
    host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    try:
        with socket.create_connection((host, int(port)), timeout=0.5):
            return True
    except (OSError, ValueError):
        return False


def main(part, python, zeo_conf, pid_file, log_file, address, argv=()):
    server = ZeoServer(part, python, zeo_conf, pid_file, log_file, address)
    return run_command(_dispatch, server, argv, part)


def _dispatch(server, argv, prog):
    timeout, rest = daemon.split_timeout(argv)
    usage = USAGE % {"prog": prog, "part": server.part, "zeo_conf": server.zeo_conf}
    if not rest:
        sys.stderr.write(usage)
        return EXIT_CONFIG
    command, args = rest[0], rest[1:]
    if command in ("help", "-h", "--help") or (args and args[0] in ("-h", "--help")):
        if command not in _COMMANDS + ("-h", "--help"):
            raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))
        print(usage, end="")
        return EXIT_OK
    if command in ("fg", "foreground"):
        return server.fg(args)
    if command == "start":
        return server.start(args, timeout or 60.0)
    if command == "stop":
        return server.stop(timeout or 30.0)
    if command == "restart":
        return server.stop(timeout or 30.0) or server.start(args, timeout or 60.0)
    if command == "status":
        return server.status()
    if command == "kill":
        return server.kill(args)
    if command == "logtail":
        from .logtail import follow

        return follow(server.log_file)
    raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))
