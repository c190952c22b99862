"""Decides how `[server:main]` is served: through PasteDeploy's own lookup,
or through one of our factories when the named distribution is absent (the
shims, the recipe) or when we add a rule (gunicorn: one worker; granian: ours)."""
from __future__ import annotations

import importlib.util
import logging

from . import granian_server, servers, shims
from .errors import LaunchError

log = logging.getLogger("buildout_ts_wsgi")

# (distribution, entry point) -> (our factory, server module, distributions to add)
_FALLBACKS = {
    ("plone.recipe.zope2instance", "main"): (servers.server_factory, "waitress", ["waitress"]),
    ("dataflake.wsgi.bjoern", "main"): (shims.bjoern_factory, "bjoern", ["bjoern", "dataflake.wsgi.bjoern"]),
    ("dataflake.wsgi.cheroot", "main"): (shims.cheroot_factory, "cheroot", ["cheroot", "dataflake.wsgi.cheroot"]),
    ("dataflake.wsgi.werkzeug", "main"): (shims.werkzeug_factory, "werkzeug", ["werkzeug", "dataflake.wsgi.werkzeug"]),
    ("dataflake.wsgi.werkzeug", "debugger"): (shims.werkzeug_debugger_factory, "werkzeug", ["werkzeug", "dataflake.wsgi.werkzeug"]),
}
# always served by us, installed or not
_OURS = {
    ("buildout-ts-wsgi", "main"): servers.server_factory,
    ("buildout_ts_wsgi", "main"): servers.server_factory,
    ("gunicorn", "main"): servers.gunicorn_factory,
    ("buildout-ts-wsgi", "granian"): granian_server.granian_factory,
    ("buildout_ts_wsgi", "granian"): granian_server.granian_factory,
}


def parse_egg_spec(use):
    """`egg:dist#name` -> (dist, name), or None for other forms."""
    if not use or not use.startswith("egg:"):
        return None
    dist, _, name = use[4:].partition("#")
    return dist.strip(), (name.strip() or "main")


def our_factory(use):
    """Our factory for this `use` value, or None to let PasteDeploy load it."""
    spec = parse_egg_spec(use)
    if spec is None:
        return None
    dist, name = spec
    if (dist, name) in _OURS:
        return _OURS[(dist, name)]
    fallback = _FALLBACKS.get((dist, name))
    if fallback is None or dist_installed(dist):
        return None
    factory, module, dists = fallback
    if importlib.util.find_spec(module) is not None:
        log.info("%s is not installed: serving `%s` with buildout-ts-wsgi's built-in %s runner "
                 "(same options)", dist, use, module)
    return factory


def dist_installed(name):
    from importlib import metadata

    try:
        metadata.distribution(name)
        return True
    except metadata.PackageNotFoundError:
        return False


def explain_lookup_error(use, err):
    """A LaunchError for PasteDeploy failing to find `use`'s distribution."""
    spec = parse_egg_spec(use)
    if spec is not None and not dist_installed(spec[0]):
        return LaunchError("[server:main] use = %s: the distribution %s is not installed in this "
                           "buildout's environment: add `%s` to [instance] eggs" % (use, spec[0], spec[0]))
    return LaunchError("[server:main] use = %s: %s" % (use, err))
