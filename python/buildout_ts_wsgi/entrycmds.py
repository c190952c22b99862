"""Commands that installed distributions add to `bin/instance`, as the recipe's ctl finds them:

- `plone.recipe.zope2instance.ctl`: `func(cmd, arg)`, a method of the recipe's command object
  (zodbverify's `zodbverify`); `cmd.options.configfile` is zope.conf, `arg` the words as one
  string; the function starts Zope itself. It wins over the other group, as in the recipe.
- `zopectl.command`: `func(app, args)` with `app` bound to Zope's root object, the database of
  zope.conf (collective.solr's `solr_reindex`...); `sys.argv` is `[NAME, ARGS...]`.

The commands of bin/instance itself come first: a distribution cannot replace `stop`.
"""
from __future__ import annotations

import os
import sys
import traceback
import types

from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK, LaunchError

CTL_GROUP = "plone.recipe.zope2instance.ctl"
ZOPECTL_GROUP = "zopectl.command"


def find(name):
    """The entry point of the command `name`, or None when no distribution adds it."""
    from importlib.metadata import entry_points

    for group in (CTL_GROUP, ZOPECTL_GROUP):
        found = {(ep.value, distribution(ep)): ep for ep in entry_points(group=group, name=name)}
        if len(found) > 1:
            raise LaunchError("the command %r is added by more than one distribution (%s, group %s): "
                              "remove one from the eggs" % (name, ", ".join(sorted(d for _v, d in found)), group),
                              EXIT_CONFIG)
        if found:
            return next(iter(found.values()))
    return None


def listing():
    """`NAME (DISTRIBUTION)` of every added command, sorted, for `help`."""
    from importlib.metadata import entry_points

    names = {}
    for group in (ZOPECTL_GROUP, CTL_GROUP):
        for ep in entry_points(group=group):
            names[ep.name] = distribution(ep)
    return ["%s (%s)" % (n, d) for n, d in sorted(names.items())]


def run(ep, args, settings):
    """Runs the command of entry point `ep` with the words after its name, then ends the process."""
    try:
        func = ep.load()
    except Exception:
        traceback.print_exc()
        raise LaunchError("the command %r (%s) could not be imported: %s" % (ep.name, ep.value, sys.exc_info()[1]),
                          EXIT_CONFIG) from None
    if not callable(func):
        raise LaunchError("the command %r (%s) is not a function" % (ep.name, ep.value), EXIT_CONFIG)
    os.environ["INSTANCE_HOME"] = settings["location"]
    sys.argv = [ep.name] + list(args)
    from . import zopecmds
    from .ending import close_zope_database, exit_now

    if ep.group == CTL_GROUP:
        cmd = _command_object(settings)
        code = _call(lambda: func(cmd, " ".join(args)))
        code = code or (EXIT_FAILED if cmd._exitstatus else EXIT_OK)
        close_zope_database()
    else:
        app = zopecmds.zope_app(settings["zope_conf"])
        try:
            code = _call(lambda: func(app, list(args)))
        finally:
            zopecmds.close(app)
    # the database is closed: skip the teardown of a loaded Zope or Plone (seconds)
    exit_now(code)


def _command_object(settings):
    """What such a method reads of the recipe's command object: its options, its exit status."""
    options = types.SimpleNamespace(configfile=settings["zope_conf"], python=sys.executable,
                                    directory=settings["location"], program=[sys.executable],
                                    args=tuple(sys.argv))
    return types.SimpleNamespace(options=options, _exitstatus=0)


def _call(invoke):
    from .ending import exit_code

    try:
        invoke()
    except SystemExit as e:
        return exit_code(e)
    except KeyboardInterrupt:
        return EXIT_FAILED
    except Exception:
        # the command's own failure: its traceback is what its author needs
        traceback.print_exc()
        return EXIT_FAILED
    return EXIT_OK


def distribution(ep):
    """The name of the distribution that declares the entry point."""
    dist = getattr(ep, "dist", None)
    return dist.metadata["Name"] if dist is not None else ep.value.split(":")[0]
