"""The control logic behind `bin/instance` (see README.md / docs/control-script.md).

`fg` and `console` REPLACE this process with the server launcher (os.execve):
no control process stays between a supervisor and the server. `start` starts
the launcher in a new session with its output in var/log/<part>-console.log
and returns once the server answers HTTP.
"""
from __future__ import annotations

import os
import sys

from . import daemon, dotenv, pidfile
from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_NOT_RUNNING, EXIT_OK, LaunchError, os_error_message, run_command
from .usage import USAGE, command_help

# signal, subprocess, tempfile and http.client (waiting) are imported where needed: `fg`
# execs the server right away and every millisecond here delays the first answered request

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
            if pidfile.is_server(pid):
                return pid
            why = "process %d is another program" % pid
        else:
            why = "process %d is not running" % pid
        pidfile.remove(self.pid_file)
        if report:
            print("stale pid file %s removed (%s)" % (self.pid_file, why))
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
        from .waiting import wait_until_answering

        pid = self.running_pid()
        if pid is not None:
            print("daemon process already running; pid=%d" % pid)
            return EXIT_OK
        log_path = self.console_log()
        log, offset = daemon.open_console_log(log_path)
        with log:
            proc = daemon.spawn(self.launcher_argv(False) + list(args), self.s["buildout_directory"],
                                self.environ(foreground=False), log)
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
        daemon.print_tail(log_path, offset)
        return EXIT_FAILED

    def do_stop(self, args, timeout):
        pid = self.running_pid()
        if pid is None:
            print("daemon process not running")
            return EXIT_OK
        return daemon.stop(pid, timeout, self.pid_file)

    def do_restart(self, args, start_timeout, stop_timeout):
        code = self.do_stop([], stop_timeout)
        if code != EXIT_OK:
            return code
        return self.do_start(args, start_timeout)

    def do_status(self, args):
        from .status import describe_server

        pid = self.running_pid()
        if pid is None:
            print("program not running")
            return EXIT_NOT_RUNNING
        print("program running; pid=%d" % pid)
        for line in describe_server(self.s["wsgi_ini"], pid):
            print(line)
        return EXIT_OK

    def do_kill(self, args):
        # no word on USR2 here: under gunicorn its master takes it for a binary upgrade
        return daemon.kill_command(self.running_pid(), args)

    def do_logreopen(self, args):
        from .config import read_server_section
        from .logreopen import WORKER_SERVERS
        from .stopping import server_kind

        use, _conf = read_server_section(self.s["wsgi_ini"], "server:main", {})
        kind = server_kind(use, None)
        if kind in WORKER_SERVERS:
            raise LaunchError("logreopen: under %s the workers hold the log files; let the logs follow "
                              "rotation instead: event-log-handler = logging.handlers.WatchedFileHandler "
                              "(and access-log-handler) in [%s], or logrotate's copytruncate" % (kind, self.s["part"]))
        return daemon.kill_command(self.running_pid(), ["USR2"], daemon.REOPEN_VERBS)

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
    return run_command(_dispatch, Instance(settings), argv, "instance")


def _dispatch(inst, argv, prog):
    # other commands' arguments (run SCRIPT ARGS) are passed on untouched
    timeout, rest = daemon.split_timeout(argv)
    if not rest or rest[0] in ("help", "-h", "--help"):
        return _help(rest[1:2], prog) if rest else _usage_error(prog)
    command, args = rest[0], rest[1:]
    known = command_help(command) is not None
    added = None if known else _added_command(command)
    if not known and added is None:
        raise LaunchError("unknown command %r (try `%s help`)" % (command, prog))
    # an added command's own --help is its business
    if added is None and args and args[0] in ("-h", "--help"):
        return _help([command], prog)
    s = inst.s
    if s["umask"] is not None:
        os.umask(s["umask"])
    bd = s["buildout_directory"]
    dotenv.load(os.path.join(bd, ".env"))
    if os.environ.get("PLONE_ENV"):
        dotenv.load(os.path.join(bd, ".env." + os.environ["PLONE_ENV"]))
    # file arguments name files relative to where the user is, not to the buildout directory
    if command in ("run", "logtail") and args:
        args[0] = os.path.abspath(args[0])
    try:
        os.chdir(bd)
    except OSError as e:
        raise LaunchError("cannot enter the buildout directory: %s" % os_error_message(e)) from None
    if added is not None:
        from . import entrycmds

        return entrycmds.run(added, args, s)
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
    if command == "logreopen":
        return inst.do_logreopen(args)
    full_site()
    from . import zopecmds

    return zopecmds.run(command, args, s)


def _help(topic, prog):
    if not topic:
        print(USAGE % {"prog": prog}, end="")
        full_site()
        from . import entrycmds

        added = entrycmds.listing()
        if added:
            print("\ncommands of the installed distributions (`%s COMMAND --help` may tell more):\n  %s"
                  % (prog, "\n  ".join(added)))
        return EXIT_OK
    text = command_help("help" if topic[0] in ("-h", "--help") else topic[0])
    if text is None:
        added = _added_command(topic[0])
        if added is None:
            raise LaunchError("unknown command %r (try `%s help`)" % (topic[0], prog))
        from .entrycmds import distribution

        print("usage: %s %s [ARGS]\n\nAdded by %s (entry point %s, group %s); `%s %s --help` may tell more.\n"
              % (prog, added.name, distribution(added), added.value, added.group, prog, added.name))
        return EXIT_OK
    print(text % {"prog": prog}, end="")
    return EXIT_OK


def _added_command(command):
    """The entry point of a command an installed distribution adds (zopectl.command...), or None."""
    full_site()
    from . import entrycmds

    return entrycmds.find(command)


def _usage_error(prog):
    sys.stderr.write(USAGE % {"prog": prog})
    return EXIT_CONFIG


def full_site():
    """Turns the site module on when bin/instance was started with `python -S` (its fast
    path): the commands that import Zope need the environment's .pth files."""
    if sys.flags.no_site:
        import site

        site.main()
