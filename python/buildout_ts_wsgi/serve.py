"""The server launcher: `python -m buildout_ts_wsgi.serve WSGI_INI [options] [name=value ...]`.

Does what Zope's `runwsgi` (Zope2/Startup/serve.py) does -- logging from the
ini, server `main` loaded before app `main`, `Starting server in PID N.`, a
pid file, a clean exit on SIGINT -- plus a graceful stop on SIGTERM for every
server, a restart in place on SIGHUP (stopping.py), one-line errors with exit
codes (README.md) and stand-ins for missing server shims.
"""
from __future__ import annotations

import argparse
import errno
import os
import sys
import warnings

from . import health, pidfile
from .errors import EXIT_ADDRESS_IN_USE, EXIT_CONFIG, EXIT_FAILED, EXIT_OK, LaunchError, os_error_in, os_error_message
from .ending import close_zope_database, exit_code, exit_now
from .servers import LazyApp
from .stopping import Stopper, reexec, server_kind


def build_parser():
    p = argparse.ArgumentParser(prog="python -m buildout_ts_wsgi.serve",
                                description="Serve a PasteDeploy ini file (server `main`, app `main`).")
    p.add_argument("config", help="the wsgi.ini file")
    p.add_argument("vars", nargs="*", metavar="name=value", help="PasteDeploy global variables")
    p.add_argument("-n", "--app-name", default=None, help="application section name (default main)")
    p.add_argument("--server-name", default=None, help="server section name (default main)")
    p.add_argument("-d", "--debug", action="store_true", help="debug_mode=true for the application")
    p.add_argument("-e", "--debug-exceptions", action="store_true", help="debug_exceptions=true")
    p.add_argument("-v", "--verbose", action="count", default=1)
    p.add_argument("-q", "--quiet", action="store_const", const=0, dest="verbose")
    p.add_argument("--pid-file", default=None, help="write the process id here while serving")
    p.add_argument("--path", action="append", default=[], help="directory to put first on sys.path")
    p.add_argument("--init-code", default=None, help="Python code to run first (recipe `initialization`)")
    return p


def main(argv=None):
    opts = build_parser().parse_intermixed_args(sys.argv[1:] if argv is None else argv)
    launcher = Launcher(opts)
    try:
        return launcher.run()
    except LaunchError as e:
        _error(str(e))
        return e.exit_code
    except Exception as e:
        # an operating-system error (read-only directory, full disk, permissions), also
        # when wrapped (logging's configuration): one line; anything else is a bug: traceback
        cause = os_error_in(e)
        if cause is None or launcher.opts.verbose > 1 or os.getpid() != launcher.pid:
            raise
        _error(os_error_message(cause))
        return EXIT_CONFIG
    except (SystemExit, KeyboardInterrupt):
        if launcher.stopper.signal is None or os.getpid() != launcher.pid:
            raise
        # stopped while loading, before serving
        if launcher.stopper.restart:
            launcher.out("Restarting (SIGHUP)")
            reexec()
        launcher.out("Exiting")
        return EXIT_OK


class Launcher:
    def __init__(self, opts):
        self.opts = opts
        self.pid = os.getpid()
        self.pidfile = None
        self.app = None
        self.said_exiting = False
        self.stopper = Stopper(self.out, self._forced_exit)

    def out(self, msg):
        if self.opts.verbose > 0:
            try:
                print(msg, flush=True)
            except (OSError, ValueError):
                pass  # the terminal is gone (hang-up): nobody to tell

    def run(self):
        opts = self.opts
        # from the start, so a stop during a long application load is clean too
        self.stopper.install()
        sys.path[0:0] = [os.path.abspath(p) for p in opts.path]
        if opts.init_code:
            exec(compile(opts.init_code, "<initialization>", "exec"), {"__name__": "__initialization__"})
        ini = os.path.abspath(opts.config)
        variables = parse_vars(opts.vars)
        from .config import read_server_section, setup_logging

        server_section = "server:" + (opts.server_name or "main")
        use, local_conf = read_server_section(ini, server_section, variables)
        setup_logging(ini, variables)
        global_conf = dict(variables, __file__=ini, here=os.path.dirname(ini))

        server = self.load_server(ini, use, local_conf, global_conf, variables)
        if opts.debug and "debug_mode" not in variables:
            variables["debug_mode"] = "true"
        if opts.debug_exceptions and "debug_exceptions" not in variables:
            variables["debug_exceptions"] = "true"
        if getattr(server, "loads_app_in_worker", False):
            # gunicorn: the app (Zope, its ZEO client thread) must be made after the fork
            app = LazyApp(lambda: self.load_app(ini, variables))
        else:
            app = self.load_app(ini, variables)
        self.app = app
        self.out("Starting server in PID %i." % self.pid)
        if opts.pid_file:
            self.pidfile = os.path.abspath(opts.pid_file)
            pidfile.write(self.pidfile, self.pid)
        return self.serve(server, app, server_kind(use, server))

    def load_server(self, ini, use, local_conf, global_conf, variables):
        from . import resolve
        from .addresses import probe_free, section_addresses

        try:
            factory = resolve.our_factory(use)
            if factory is not None:
                server = factory(global_conf, **local_conf)
            else:
                from paste.deploy import loadserver

                server = loadserver("config:" + ini, name=self.opts.server_name, relative_to=os.getcwd(),
                                    global_conf=dict(variables))
        except LaunchError:
            raise
        except Exception as e:
            raise _explain_load_error(e, use) from None
        # servers that bind late would fail only after the app loaded; a `fast-listen` factory
        # (ours, or the recipe's own when installed) has bound already
        if "prebound" not in global_conf and "fast-listen" not in local_conf and not _reuses_port(local_conf):
            probe_free(section_addresses(use or "", local_conf))
        return server

    def load_app(self, ini, variables):
        from paste.deploy import loadapp

        try:
            return loadapp("config:" + ini, name=self.opts.app_name, relative_to=os.getcwd(),
                           global_conf=dict(variables))
        except LaunchError:
            raise
        except (ImportError, LookupError) as e:
            raise _explain_load_error(e, None) from None
        except Exception as e:
            # Zope's ZEO client gave up waiting for its server (30 s): the usual cause is a ZEO
            # server that is not running, an operator's mistake, not a bug
            if type(e).__name__ != "ClientDisconnected" or self.opts.verbose > 1:
                raise
            raise LaunchError("the ZEO server%s did not answer (%s): is it running? Start it (bin/zeo start) "
                              "or check zeo-address; -vv shows the traceback" % (_zeo_servers(ini), e)) from None

    def serve(self, server, app, kind):
        code = EXIT_OK
        stopper = self.stopper
        try:
            result = server(stopper.wrap(health.wrap(app, stopper), kind))
            if isinstance(result, int) and not stopper.signal:
                code = result
        except (SystemExit, KeyboardInterrupt) as e:
            if os.getpid() != self.pid:
                raise  # a forked worker (gunicorn) leaving: not the launcher's exit
            if self.opts.verbose > 1:
                raise
            detail = ""
            if isinstance(e, SystemExit) and not stopper.signal and e.code not in (None, 0):
                # a server's own exit status (gunicorn: 3 = worker boot error) would clash with
                # ours (README.md): report it, exit 1
                code = EXIT_FAILED
                detail = " (the server exited with status %s)" % e.code
            if not stopper.restart:
                self.out("Exiting" if stopper.signal else "Exiting%s (-v to see traceback)" % detail)
                self.said_exiting = True
        except OSError as e:
            if os.getpid() != self.pid:
                raise
            if e.errno == errno.EADDRINUSE:
                raise LaunchError("address already in use: %s" % e, EXIT_ADDRESS_IN_USE) from None
            raise
        finally:
            if os.getpid() == self.pid:
                stopper.wait_for_requests()
                stopper.claim_end()
                self.close(app, keep_pid_file=stopper.restart)
        if stopper.restart:
            self.out("Restarting (SIGHUP)")
            reexec()
        if stopper.signal and not self.said_exiting:
            self.out("Exiting")
        return code

    def close(self, app, keep_pid_file=False):
        # The servers leave their listening sockets and wake-up pipes to interpreter
        # teardown; with PYTHONWARNINGS=default (fg) that prints ResourceWarnings that
        # only alarm operators. The process is exiting: silence them.
        warnings.filterwarnings("ignore", category=ResourceWarning)
        if self.pidfile and not keep_pid_file:
            pidfile.remove_if_ours(self.pidfile, self.pid)
        closer = getattr(app, "close", None)
        if callable(closer):
            _quietly(closer)
        close_zope_database()

    def _forced_exit(self, restart):
        # the stop timeout or a second signal ends the process from wherever it is
        self.close(self.app, keep_pid_file=restart)


def parse_vars(args):
    """`name=value` arguments -> dict (as Zope's serve.py)."""
    out = {}
    for arg in args:
        if "=" not in arg:
            raise LaunchError("variable assignment %r invalid (no \"=\")" % arg)
        name, value = arg.split("=", 1)
        out[name] = value
    return out


def _explain_load_error(err, use):
    from importlib import metadata

    from . import resolve

    if isinstance(err, metadata.PackageNotFoundError):
        name = err.name or str(err)
        return LaunchError("the distribution %s is not installed in this buildout's environment: "
                           "add `%s` to [instance] eggs" % (name, name))
    if isinstance(err, ModuleNotFoundError):
        return LaunchError("%s is not installed in this buildout's environment (needed by %s): add the "
                           "distribution that provides it to [instance] eggs" % (err.name, use or "the application"))
    if isinstance(err, LookupError) and use is not None:
        return resolve.explain_lookup_error(use, err)
    if isinstance(err, LookupError):
        return LaunchError("loading the application failed: %s" % err)
    raise err


def _zeo_servers(ini):
    """` at ADDRESS` of the zeoclient in the zope.conf that wsgi.ini names ('' when not found)."""
    import configparser
    import re

    try:
        cp = configparser.RawConfigParser(strict=False)
        cp.read(ini)
        confs = [cp.get(s, "zope_conf") for s in cp.sections() if cp.has_option(s, "zope_conf")]
        with open(confs[0]) as f:
            text = f.read()
    except (OSError, IndexError, configparser.Error):
        return ""
    block = re.search(r"<zeoclient>(.*?)</zeoclient>", text, re.S)
    servers = re.findall(r"^\s*server\s+(\S+)", block.group(1), re.M) if block else []
    return " at %s" % ", ".join(servers) if servers else ""


def _reuses_port(conf):
    return conf.get("reuse_port", "").lower() in ("1", "true", "on", "yes")


def _quietly(fn):
    try:
        fn()
    except Exception:
        pass


def _error(msg):
    sys.stderr.write("error: %s\n" % msg)
    sys.stderr.flush()


if __name__ == "__main__":
    try:
        status = main()
    except SystemExit as e:  # also a forked gunicorn worker leaving, with gunicorn's status
        status = exit_code(e)
    exit_now(status)
