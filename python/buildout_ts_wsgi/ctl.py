"""The control logic behind `bin/instance` (see README.md / docs/control-script.md).

`fg` and `console` REPLACE this process with the server launcher (os.execve):
no control process stays between a supervisor and the server. `start` starts
the launcher in a new session with its output in var/log/<part>-console.log
and returns once the server answers HTTP.
"""
from __future__ import annotations

import os
import sys
import time

from . import dotenv, pidfile
from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_NOT_RUNNING, EXIT_OK, LaunchError

# signal, subprocess, tempfile and http.client (waiting) are imported where needed: `fg`
# execs the server right away and every millisecond here delays the first answered request

USAGE = """usage: %(prog)s [--timeout SECONDS] COMMAND [ARGS]

commands:
  fg, foreground     serve in the foreground with debug mode on (this process becomes the server)
  console            serve in the foreground without debug mode (for supervisors)
  start              start in the background; returns once the server answers HTTP
  stop               SIGTERM, wait for a graceful stop, SIGKILL after the timeout
  restart            stop, then start
  status             exit 0 if running, 3 if not (a stale pid file is removed)
  kill [SIGNAL]      send a signal (default TERM) to the running server
  logtail [FILE]     print the end of the event log and follow it (Ctrl-C ends)
  debug              interactive Python with `app` bound to Zope's root (needs Zope)
  run SCRIPT [ARGS]  run a Python script with `app` bound (needs Zope)
  adduser NAME PASSWORD  add a Manager to the root user folder (needs Zope)
  help               this text

--timeout: seconds to wait for start (default 60) or for a graceful stop (default 30).
Exit codes: 0 success/running, 1 failed, 2 configuration or environment problem, 3 not running.
"""


class Instance:
    def __init__(self, settings):
        self.s = settings
        self.part = settings["part"]
        self.python = settings["python"]
        self.pid_file = settings["pid_file"]

    def launcher_argv(self, debug):
        argv = [self.python, "-m", "buildout_ts_wsgi.serve", self.s["wsgi_ini"], "--pid-file", self.pid_file]
        for path in self.s["extra_paths"]:
            argv += ["--path", path]
        if self.s["initialization"]:
            argv += ["--init-code", self.s["initialization"]]
        if debug:
            argv += ["-d", "debug-mode=on"]
        return argv

    def environ(self, foreground):
        env = dict(os.environ)
        env["INSTANCE_HOME"] = self.s["location"]
        if "ZEO_TMP" not in env:
            import tempfile

            env["ZEO_TMP"] = tempfile.gettempdir()
        if foreground:
            env.setdefault("PYTHONWARNINGS", "default")
        return env

    def running_pid(self, report=True):
        """The pid of the live server, or None; removes a stale pid file."""
        pid = pidfile.read(self.pid_file)
        if pid is None:
            return None
        if pidfile.alive(pid):
            return pid
        pidfile.remove(self.pid_file)
        if report:
            print("stale pid file %s removed (process %d is not running)" % (self.pid_file, pid))
        return None

    def console_log(self):
        var = os.path.dirname(self.s["client_home"].rstrip("/")) or self.s["buildout_directory"]
        return os.path.join(var, "log", "%s-console.log" % self.part)

    # --- commands ---

    def do_fg(self, args, debug=True):
        pid = self.running_pid()
        if pid is not None:
            print("the instance seems to be running already (pid %d, pid file %s); stop it first"
                  % (pid, self.pid_file))
            return EXIT_FAILED
        argv = self.launcher_argv(debug) + list(args)
        sys.stdout.flush()
        sys.stderr.flush()
        os.execve(self.python, argv, self.environ(foreground=True))

    def do_console(self, args):
        return self.do_fg(args, debug=False)

    def do_start(self, args, timeout):
        import subprocess

        from .waiting import wait_until_answering

        pid = self.running_pid()
        if pid is not None:
            print("daemon process already running; pid=%d" % pid)
            return EXIT_OK
        log_path = self.console_log()
        os.makedirs(os.path.dirname(log_path), exist_ok=True)
        with open(log_path, "ab") as log:
            log.write(("--- %s: starting\n" % time.strftime("%Y-%m-%d %H:%M:%S")).encode())
            log.flush()
            offset = log.tell()
            proc = subprocess.Popen(self.launcher_argv(False) + list(args), cwd=self.s["buildout_directory"],
                                    env=self.environ(foreground=False), stdin=subprocess.DEVNULL,
                                    stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        outcome = wait_until_answering(proc, self.s["wsgi_ini"], timeout, self.pid_file)
        if outcome.ok:
            print("daemon process started, pid=%d (%s)" % (proc.pid, outcome.detail))
            return EXIT_OK
        if proc.poll() is None:
            print("the server (pid %d) did not answer within %g s (%s); it keeps running, see %s"
                  % (proc.pid, timeout, outcome.detail, log_path))
        else:
            print("the server exited with code %s before answering HTTP; its output (%s):"
                  % (proc.returncode, log_path))
        _print_tail(log_path, offset)
        return EXIT_FAILED

    def do_stop(self, args, timeout):
        import signal

        from .waiting import wait_until_gone

        pid = self.running_pid()
        if pid is None:
            print("daemon process not running")
            return EXIT_OK
        started = time.monotonic()
        _signal(pid, signal.SIGTERM)
        if wait_until_gone(pid, timeout):
            print("daemon process stopped (pid %d, SIGTERM, %.1f s)" % (pid, time.monotonic() - started))
            pidfile.remove_if_ours(self.pid_file, pid)
            return EXIT_OK
        _signal(pid, signal.SIGKILL)
        gone = wait_until_gone(pid, 10)
        pidfile.remove_if_ours(self.pid_file, pid)
        if gone:
            print("daemon process did not stop within %g s after SIGTERM: killed (SIGKILL, pid %d)" % (timeout, pid))
            return EXIT_OK
        print("daemon process %d survived SIGKILL" % pid)
        return EXIT_FAILED

    def do_restart(self, args, start_timeout, stop_timeout):
        code = self.do_stop([], stop_timeout)
        if code != EXIT_OK:
            return code
        return self.do_start(args, start_timeout)

    def do_status(self, args):
        pid = self.running_pid()
        if pid is None:
            print("program not running")
            return EXIT_NOT_RUNNING
        print("program running; pid=%d" % pid)
        return EXIT_OK

    def do_kill(self, args):
        import signal

        name = (args[0] if args else "TERM").upper()
        signum = getattr(signal, name if name.startswith("SIG") else "SIG" + name, None)
        if signum is None:
            try:
                signum = int(name)
            except ValueError:
                raise LaunchError("unknown signal %r" % args[0]) from None
        pid = self.running_pid()
        if pid is None:
            print("daemon process not running")
            return EXIT_NOT_RUNNING
        _signal(pid, signum)
        print("signal %s sent to process %d" % (signal.Signals(signum).name, pid))
        return EXIT_OK

    def do_logtail(self, args):
        from .logtail import follow

        path = args[0] if args else self.s["event_log"]
        if not path or (not args and path.lower() == "disable"):
            raise LaunchError("no event log configured: give a file, `logtail FILE`")
        return follow(path)


def main(part, python, buildout_directory, location, zope_conf, wsgi_ini, client_home, pid_file,
         event_log=None, umask=None, initialization=None, extra_paths=(), argv=()):
    settings = dict(part=part, python=python, buildout_directory=buildout_directory, location=location,
                    zope_conf=zope_conf, wsgi_ini=wsgi_ini, client_home=client_home, pid_file=pid_file,
                    event_log=event_log, umask=umask, initialization=initialization,
                    extra_paths=list(extra_paths))
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "instance"
    try:
        return _dispatch(Instance(settings), list(argv), prog)
    except LaunchError as e:
        sys.stderr.write("error: %s\n" % e)
        return e.exit_code


def _dispatch(inst, argv, prog):
    # --timeout goes before the command, or after start/stop/restart; other commands' arguments
    # (run SCRIPT ARGS) are passed on untouched
    timeout, rest = _take_timeout(list(argv), stop_at_command=True)
    if rest and rest[0] in ("start", "stop", "restart"):
        later, tail = _take_timeout(rest[1:], stop_at_command=False)
        timeout = later if later is not None else timeout
        rest = rest[:1] + tail
    if not rest or rest[0] in ("help", "-h", "--help"):
        print(USAGE % {"prog": prog}, end="")
        return EXIT_OK if rest else EXIT_CONFIG
    command, args = rest[0], rest[1:]
    s = inst.s
    if s["umask"] is not None:
        os.umask(s["umask"])
    bd = s["buildout_directory"]
    dotenv.load(os.path.join(bd, ".env"))
    if os.environ.get("PLONE_ENV"):
        dotenv.load(os.path.join(bd, ".env." + os.environ["PLONE_ENV"]))
    os.chdir(bd)
    if command in ("fg", "foreground"):
        return inst.do_fg(args)
    if command == "console":
        return inst.do_console(args)
    if command == "start":
        return inst.do_start(args, timeout or 60.0)
    if command == "stop":
        return inst.do_stop(args, timeout or 30.0)
    if command == "restart":
        return inst.do_restart(args, timeout or 60.0, timeout or 30.0)
    if command == "status":
        return inst.do_status(args)
    if command == "kill":
        return inst.do_kill(args)
    if command == "logtail":
        return inst.do_logtail(args)
    if command in ("debug", "run", "adduser"):
        full_site()
        from . import zopecmds

        return zopecmds.run(command, args, s)
    raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))


def _take_timeout(args, stop_at_command):
    timeout = None
    rest = []
    while args:
        a = args.pop(0)
        if a == "--timeout" or a.startswith("--timeout="):
            value = a.split("=", 1)[1] if "=" in a else (args.pop(0) if args else "")
            try:
                timeout = float(value)
            except ValueError:
                raise LaunchError("--timeout needs a number of seconds, got %r" % value) from None
        elif stop_at_command and not a.startswith("-"):
            rest.append(a)
            rest.extend(args)
            break
        else:
            rest.append(a)
    return timeout, rest


def _signal(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def _print_tail(path, offset, lines=30):
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            text = f.read().decode("utf-8", "replace")
    except OSError:
        return
    shown = text.splitlines()[-lines:]
    if not shown:
        print("  (no output yet)")
    for line in shown:
        print("  " + line)


def full_site():
    """Turns the site module on when bin/instance was started with `python -S` (its fast
    path): the commands that import Zope need the environment's .pth files."""
    if sys.flags.no_site:
        import site

        site.main()
