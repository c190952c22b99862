"""Errors that end the launcher or the control script with a one-line message
and a documented exit code instead of a traceback (see README.md)."""
import os
import sys

EXIT_OK = 0
EXIT_FAILED = 1
# configuration or environment problem: missing server module/distribution,
# unreadable wsgi.ini, wrong arguments, Zope needed but not installed
EXIT_CONFIG = 2
# status: the program is not running (LSB)
EXIT_NOT_RUNNING = 3
# the launcher could not bind one of its addresses
EXIT_ADDRESS_IN_USE = 4


class LaunchError(Exception):
    """A user-facing failure: `str(err)` is the whole message."""

    def __init__(self, message, exit_code=EXIT_CONFIG):
        super().__init__(message)
        self.exit_code = exit_code


class AddressInUse(LaunchError):
    def __init__(self, host, port, detail=""):
        shown = "[%s]" % host if ":" in host else (host or "0.0.0.0")
        msg = "address %s:%s is already in use (another instance or program listens there)" % (shown, port)
        if detail:
            msg += ": " + detail
        super().__init__(msg, EXIT_ADDRESS_IN_USE)
        self.host = host
        self.port = port


def missing_server(module, dists):
    """The error for a server whose Python module is not importable."""
    names = " (and ".join("`%s`" % d for d in dists) + (")" if len(dists) > 1 else "")
    return LaunchError(
        "%s is not installed in this buildout's environment: add %s to [instance] eggs" % (module, names)
    )


def os_error_message(err):
    """`PATH: problem` for an operating-system error (no traceback for a read-only
    directory, a full disk, a missing permission)."""
    problem = err.strerror or str(err)
    if err.filename is not None and err.filename2 is not None:
        return "%s -> %s: %s" % (err.filename, err.filename2, problem)
    if err.filename is not None:
        return "%s: %s" % (err.filename, problem)
    return problem


def os_error_in(err):
    """The OSError behind err (itself, or its cause/context chain), or None: logging's
    configuration, for one, wraps the OSError of a log file it cannot open."""
    seen = set()
    while err is not None and id(err) not in seen:
        if isinstance(err, OSError) and err.strerror:
            return err
        seen.add(id(err))
        err = err.__cause__ or err.__context__
    return None


def run_command(dispatch, target, argv, default_prog):
    """A control script's command (bin/instance, bin/zeo, bin/<balancer>, bin/<site>):
    `dispatch(target, argv, prog)`, with every user-facing failure as one line and its exit code."""
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else default_prog
    try:
        return dispatch(target, list(argv), prog)
    except LaunchError as e:
        sys.stderr.write("error: %s\n" % e)
        return e.exit_code
    except OSError as e:
        # a read-only or full disk, a missing directory, no permission: one line, no traceback
        sys.stderr.write("error: %s\n" % os_error_message(e))
        return EXIT_CONFIG
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        return 130
