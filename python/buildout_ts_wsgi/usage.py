"""Help texts of `bin/instance` (`help`, `--help`, `COMMAND --help`)."""

USAGE = """usage: %(prog)s [--timeout SECONDS] COMMAND [ARGS]

commands:
  fg, foreground     serve in the foreground with debug mode on (this process becomes the server)
  console            serve in the foreground without debug mode (for supervisors)
  start              start in the background; returns once the server answers HTTP
  stop               SIGTERM (running requests finish), SIGKILL after the timeout
  restart            stop, then start
  status             exit 0 if running, 3 if not; names the server that runs
  kill [SIGNAL]      send a signal (default TERM; HUP restarts the server in place)
  logtail [FILE]     print the end of the event log and follow it (Ctrl-C ends)
  logreopen          the server reopens its log files (after logrotate moved them)
  debug              interactive Python with `app` bound to Zope's root (needs Zope)
  run SCRIPT [ARGS]  run a Python script with `app` bound (needs Zope)
  adduser NAME PASSWORD  add a Manager to the root user folder (needs Zope)
  help [COMMAND]     this text, or a command's (also COMMAND --help)
  COMMAND [ARGS]     a command that an installed distribution adds (entry points of the groups
                     zopectl.command and plone.recipe.zope2instance.ctl: zodbverify, solr_reindex...)

--timeout: seconds to wait for start (default 60) or for a graceful stop (default 30).
Signals to the server: TERM and INT stop it (running requests finish), HUP restarts it in place,
USR2 reopens the log files.
Exit codes: 0 success/running, 1 failed, 2 configuration or environment problem, 3 not running.
"""

_FG = """usage: %(prog)s {name} [name=value ...]

Serves in the foreground {what}.
This process becomes the server (no control process stays in between); it logs
to the terminal and to the logs of wsgi.ini. Arguments are PasteDeploy
variables for wsgi.ini (as Zope's runwsgi). Refused when the instance runs.

Signals: TERM and INT (Ctrl-C) stop the server; running requests finish (at
most $BUILDOUT_TS_STOP_TIMEOUT seconds, default 10); a second signal stops it at
once. HUP restarts it in place (same process id) and reloads the configuration,
unless the terminal was closed (then it stops).
Exit codes: 0 stopped by a signal, 1 the server or the application failed,
2 a configuration or environment problem, 4 the address is already in use.
"""

COMMANDS = {
    "fg": _FG.format(name="fg", what="with debug mode on (-d debug-mode=on)"),
    "console": _FG.format(name="console", what="without forcing debug mode\n(for systemd, supervisord, containers)"),
    "start": """usage: %(prog)s [--timeout SECONDS] start [name=value ...]

Starts the server in the background (its own session; output appended to
var/log/<part>-console.log) and returns once it answers HTTP on the address of
wsgi.ini and has written its pid file. Fails (exit 1) after --timeout seconds
(default 60) or when the server exits first, showing the end of its output.
Already running: says so, exit 0.
""",
    "stop": """usage: %(prog)s [--timeout SECONDS] stop

Sends SIGTERM: the server stops accepting connections and lets running requests
finish. SIGKILL after --timeout seconds (default 30). Not running: exit 0.
""",
    "restart": """usage: %(prog)s [--timeout SECONDS] restart [name=value ...]

`stop`, then `start` (a new process). To restart in place instead (same
process id, for a supervisor that watches it): `kill HUP`.
""",
    "status": """usage: %(prog)s status

Exit 0 and `program running; pid=N` when the server runs, followed by the
server of wsgi.ini ([server:main] use, the server module) and, for bjoern,
whether its C extension is loaded in the running process. Exit 3 and
`program not running` otherwise (a stale pid file is reported and removed).
""",
    "kill": """usage: %(prog)s kill [SIGNAL]

Sends SIGNAL (a name such as TERM, HUP, USR1, or a number; default TERM) to the
running server. TERM and INT stop it gracefully, HUP restarts it in place.
Not running: exit 3.
""",
    "logreopen": """usage: %(prog)s logreopen

Sends SIGUSR2 to the running server, which closes its log files and opens them
again at their paths: for logrotate's postrotate. Not with gunicorn or granian,
whose workers hold the log files (use event-log-handler =
logging.handlers.WatchedFileHandler there). Not running: exit 3.
""",
    "logtail": """usage: %(prog)s logtail [FILE]

Prints the last lines of the event log (or FILE) and follows it, across log
rotation too. Ctrl-C ends it.
""",
    "help": """usage: %(prog)s help [COMMAND]

Prints the list of commands, or the help of one command.
""",
}


def command_help(command):
    """The help text of a command (with %(prog)s), or None for an unknown one."""
    if command == "foreground":
        command = "fg"
    if command in COMMANDS:
        return COMMANDS[command]
    if command in ("debug", "run", "adduser"):
        from .zopecmds import USAGE as ZOPE_USAGE

        return ZOPE_USAGE[command]
    return None
