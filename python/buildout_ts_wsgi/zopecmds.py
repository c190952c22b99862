"""`debug`, `run SCRIPT` and `adduser NAME PASSWORD`: they need the real Zope
(they work on Zope's root object), as the recipe's commands do."""
from __future__ import annotations

import importlib.util
import os
import sys

from .errors import EXIT_OK, LaunchError


def run(command, args, settings):
    if importlib.util.find_spec("Zope2") is None:
        raise LaunchError("`%s` needs Zope, and Zope is not installed in this buildout's environment "
                          "(add `Zope` or `Plone` to [instance] eggs)" % command)
    if command == "adduser" and len(args) != 2:
        raise LaunchError("usage: adduser NAME PASSWORD")
    if command == "run" and not args:
        raise LaunchError("usage: run SCRIPT [ARGS...]")
    os.environ["INSTANCE_HOME"] = settings["location"]
    app = _zope_app(settings["zope_conf"])
    if command == "debug":
        return _debug(app)
    if command == "run":
        return _run_script(app, args)
    return _adduser(app, args[0], args[1])


def _zope_app(zope_conf):
    # configure Zope from zope.conf as its own WSGI start-up does, then open the root
    from Zope2.Startup.run import configure_wsgi

    configure_wsgi(zope_conf)
    import Zope2
    from Testing.makerequest import makerequest
    from zope.globalrequest import setRequest

    app = makerequest(Zope2.app())
    setRequest(app.REQUEST)
    from AccessControl.SecurityManagement import newSecurityManager
    from AccessControl.SpecialUsers import system

    newSecurityManager(None, system)
    return app


def _debug(app):
    import code

    namespace = {"app": app, "__name__": "__console__"}
    startup = os.environ.get("PYTHONSTARTUP")
    if startup and os.path.isfile(startup):
        with open(startup) as f:
            exec(compile(f.read(), startup, "exec"), namespace)
    code.interact(banner="Starting debugger (the name \"app\" is bound to the top-level Zope object)",
                  local=namespace)
    return EXIT_OK


def _run_script(app, args):
    script = args[0]
    sys.argv = list(args)
    namespace = {"app": app, "__name__": "__main__", "__file__": script}
    with open(script) as f:
        exec(compile(f.read(), script, "exec"), namespace)
    return EXIT_OK


def _adduser(app, name, password):
    import transaction

    acl = app.acl_users
    if acl.getUser(name) is not None:
        raise LaunchError("user %s already exists" % name, 1)
    acl._doAddUser(name, password, ["Manager"], [])
    transaction.commit()
    print("Created user: %s" % name)
    return EXIT_OK
