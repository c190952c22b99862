"""What `bin/instance` and `bin/zeo` share to run a server in the background
without zdaemon: the console log, starting in a new session, stopping with
SIGTERM then SIGKILL, sending signals, and the `--timeout` argument."""
from __future__ import annotations

import os
import time

from . import pidfile
from .errors import EXIT_FAILED, EXIT_OK, LaunchError, os_error_message

STOP_VERBS = {"HUP": " (the server restarts in place)", "TERM": " (the server stops)", "INT": " (the server stops)"}
# servers that reopen their log files on USR2 (ZEO; bin/instance outside gunicorn and granian)
REOPEN_VERBS = dict(STOP_VERBS, USR2=" (the server reopens its log files)")


def open_console_log(path):
    """The console log opened for appending, after a `--- starting` line, and the
    offset where this start's output begins."""
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        log = open(path, "ab")
    except OSError as e:
        raise LaunchError("cannot write the console log: %s" % os_error_message(e)) from None
    log.write(("--- %s: starting\n" % time.strftime("%Y-%m-%d %H:%M:%S")).encode())
    log.flush()
    return log, log.tell()


def spawn(argv, cwd, env, log):
    """Starts argv in its own session (it survives the terminal), output to log."""
    import subprocess

    return subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)


def stop(pid, timeout, pid_file):
    """SIGTERM, wait up to timeout, then SIGKILL; prints what happened."""
    import signal

    from .waiting import wait_until_gone

    started = time.monotonic()
    send(pid, signal.SIGTERM)
    if wait_until_gone(pid, timeout):
        print("daemon process stopped (pid %d, SIGTERM, %.1f s)" % (pid, time.monotonic() - started))
        pidfile.remove_if_ours(pid_file, pid)
        return EXIT_OK
    send(pid, signal.SIGKILL)
    gone = wait_until_gone(pid, 10)
    pidfile.remove_if_ours(pid_file, pid)
    if gone:
        print("daemon process did not stop within %g s after SIGTERM: killed (SIGKILL, pid %d)" % (timeout, pid))
        return EXIT_OK
    print("daemon process %d survived SIGKILL" % pid)
    return EXIT_FAILED


def parse_signal(text):
    """A signal number from `HUP`, `SIGHUP`, `hup` or `1`."""
    import signal

    name = text.upper()
    signum = getattr(signal, name if name.startswith("SIG") else "SIG" + name, None)
    if not isinstance(signum, int):
        try:
            signum = int(text)
        except ValueError:
            raise LaunchError("unknown signal %r (a name such as TERM, HUP, USR1, or a number)" % text) from None
    if not 0 < signum < signal.NSIG:
        raise LaunchError("unknown signal %r" % text)
    return signum


def signal_name(signum):
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return str(signum)


def send(pid, signum):
    try:
        os.kill(pid, signum)
    except ProcessLookupError:
        pass


def kill_command(pid, args, verbs=STOP_VERBS):
    """`kill [SIGNAL]` of a control script: the signal (TERM by default) to the running
    process, and what the process does with it."""
    from .errors import EXIT_NOT_RUNNING, EXIT_OK

    signum = parse_signal(args[0] if args else "TERM")
    if pid is None:
        print("daemon process not running")
        return EXIT_NOT_RUNNING
    send(pid, signum)
    name = signal_name(signum)
    print("signal %s sent to process %d%s" % (name, pid, verbs.get(name[3:], "")))
    return EXIT_OK


def print_tail(path, offset, lines=30):
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


def take_timeout(args, stop_at_command):
    """(--timeout value or None, the other arguments)."""
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
            if timeout <= 0:
                raise LaunchError("--timeout needs a positive number of seconds, got %r" % value)
        elif stop_at_command and not a.startswith("-"):
            rest.append(a)
            rest.extend(args)
            break
        else:
            rest.append(a)
    return timeout, rest


def split_timeout(argv):
    """--timeout goes before the command, or right after start/stop/restart."""
    timeout, rest = take_timeout(list(argv), stop_at_command=True)
    if rest and rest[0] in ("start", "stop", "restart"):
        later, tail = take_timeout(rest[1:], stop_at_command=False)
        timeout = later if later is not None else timeout
        rest = rest[:1] + tail
    return timeout, rest
