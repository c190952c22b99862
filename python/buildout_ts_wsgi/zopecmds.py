"""`debug`, `run SCRIPT` and `adduser NAME PASSWORD`: they need the real Zope
(they work on Zope's root object), as the recipe's commands do.

Zope is started from zope.conf the way its own `zconsole` does it
(`Zope2.Startup.run.make_wsgi_app`), so `app` is the database of zope.conf
(a ZEO client, a FileStorage...): `configure_wsgi` alone leaves Zope without
its database and `Zope2.app()` then opens an empty temporary one.
"""
from __future__ import annotations

import importlib.util
import os
import sys

from .errors import EXIT_FAILED, EXIT_OK, LaunchError

USAGE = {
    "debug": "usage: %(prog)s debug\n\nAn interactive Python prompt with `app` bound to Zope's root object (the\n"
             "database of zope.conf, as the `system` user; $PYTHONSTARTUP runs first). Reads\n"
             "from stdin, so it can be driven by a pipe. Nothing is committed unless you call\n"
             "transaction.commit().\n",
    "run": "usage: %(prog)s run SCRIPT [ARGS...]\n\nRuns a Python script with `app` bound to Zope's root object (the database of\n"
           "zope.conf, as the `system` user); sys.argv is [SCRIPT, ARGS...]. The script\n"
           "commits its own changes (transaction.commit()).\n",
    "adduser": "usage: %(prog)s adduser NAME PASSWORD\n\nAdds a user with the Manager role to Zope's root user folder and commits.\n",
}


def run(command, args, settings):
    if importlib.util.find_spec("Zope2") is None:
        raise LaunchError("`%s` needs Zope, and Zope is not installed in this buildout's environment "
                          "(add `Zope` or `Plone` to [instance] eggs)" % command)
    if command == "adduser" and len(args) != 2:
        raise LaunchError("usage: adduser NAME PASSWORD")
    if command == "run" and not args:
        raise LaunchError("usage: run SCRIPT [ARGS...]")
    if command == "run" and not os.path.isfile(args[0]):
        raise LaunchError("run: no such script: %s" % args[0])
    os.environ["INSTANCE_HOME"] = settings["location"]
    app = zope_app(settings["zope_conf"])
    try:
        if command == "debug":
            code = _debug(app)
        elif command == "run":
            code = _run_script(app, args)
        else:
            code = _adduser(app, args[0], args[1])
    except LaunchError as e:
        sys.stderr.write("error: %s\n" % e)
        code = e.exit_code
    finally:
        close(app)
    from .ending import exit_now

    # the database is closed: skip the teardown of a loaded Zope or Plone (seconds)
    exit_now(code)


def zope_app(zope_conf):
    """Zope's root object, from the database of zope.conf, with a request and the
    `system` user (as Zope's zconsole)."""
    if not os.path.isfile(zope_conf):
        raise LaunchError("no such file: %s (run bin/buildout)" % zope_conf)
    from Zope2.Startup.run import make_wsgi_app

    try:
        make_wsgi_app({}, zope_conf)
    except Exception as e:
        raise _explain_start_error(e, zope_conf) from None
    import Zope2
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.users import system
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest

    app = makerequest(Zope2.app())
    app.REQUEST["PARENTS"] = [app]
    setRequest(app.REQUEST)
    newSecurityManager(None, system)
    return app


def _explain_start_error(err, zope_conf):
    name = type(err).__name__
    if name == "LockError":
        # a FileStorage is opened by one process only
        return LaunchError("the database of %s is in use by another process (%s): stop the instance "
                           "first, or use a ZEO server" % (zope_conf, err), EXIT_FAILED)
    if name in ("ConfigurationError", "ConfigurationSyntaxError", "DataConversionError", "SchemaError"):
        return LaunchError("%s: %s" % (zope_conf, err))
    if isinstance(err, OSError):
        where = " %s" % err.filename if getattr(err, "filename", None) else ""
        return LaunchError("starting Zope failed:%s: %s" % (where, err.strerror or err), EXIT_FAILED)
    raise err


def _debug(app):
    import code

    namespace = {"app": app, "__name__": "__console__"}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            exec(compile(f.read(), startup, "exec"), namespace)
    if sys.stdin.isatty():
        try:
            import readline  # noqa: F401  (line editing and history)
        except ImportError:
            pass
    code.interact(banner="Starting debugger (the name \"app\" is bound to the top-level Zope object)",
                  local=namespace, exitmsg="")
    return EXIT_OK


def _run_script(app, args):
    script = args[0]
    sys.argv = list(args)
    namespace = {"app": app, "__name__": "__main__", "__file__": script}
    with open(script) as f:
        source = f.read()
    try:
        exec(compile(source, script, "exec"), namespace)
    except SystemExit as e:
        from .ending import exit_code

        return exit_code(e)
    return EXIT_OK


def _adduser(app, name, password):
    import transaction

    acl = app.acl_users
    if acl.getUser(name) is not None:
        raise LaunchError("user %s already exists" % name, EXIT_FAILED)
    acl._doAddUser(name, password, ["Manager"], [])
    transaction.commit()
    print("Created user: %s" % name)
    return EXIT_OK


def close(app):
    import transaction

    # leave nothing half-done; the database closes cleanly (a ZEO client disconnects, a
    # FileStorage is unlocked)
    try:
        transaction.abort()
        app._p_jar.close()
    except Exception:
        pass
    from .ending import close_zope_database

    close_zope_database()
