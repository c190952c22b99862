"""zc.buildout's easy_install API, backed by buildout-ts' environment.

Recipes call `zc.buildout.easy_install.install`/`working_set` (directly or through
`zc.recipe.egg.Egg(...).working_set()`), `scripts`, `build`, `develop` and
`sort_working_set`. In zc.buildout these install eggs into eggs-directory; here the
distributions live in the buildout's environment (`.buildout/venv`), which buildout-ts
brings up to date when asked (`eggs`), and scripts are written by buildout-ts itself, as
its built-in zc.recipe.egg writes them (the environment's python, its sys.path).
The real module is imported and these functions are replaced in it.
"""
import logging
import sys

logger = logging.getLogger('zc.buildout.easy_install')

_channel = None
_reading_for = [None]


def patch(channel, current_part):
    """Replaces the functions in the real zc.buildout.easy_install."""
    global _channel, _reading_for
    _channel = channel
    _reading_for = current_part
    import zc.buildout.easy_install as ei
    ei.install = install
    ei.working_set = working_set
    ei.scripts = scripts
    ei.build = build
    ei.develop = develop
    ei.sort_working_set = sort_working_set


def install(specs, dest=None, links=(), index=None, executable=sys.executable, always_unzip=None, path=None,
            working_set=None, newest=True, versions=None, use_dependency_links=None, allow_hosts=('*',),
            include_site_packages=None, allowed_eggs_from_site_packages=None, check_picked=True,
            allow_unknown_extras=False):
    specs = [str(s) for s in specs]
    env = _channel.call('eggs', specs=specs, part=_reading_for[0])
    return _resolve(specs, env['paths'], working_set)


def working_set(specs, executable=sys.executable, path=None, include_site_packages=None,
                allowed_eggs_from_site_packages=None):
    return install(specs, None, path=path)


def build(spec, dest, build_ext, links=(), index=None, executable=sys.executable, path=None, newest=True,
          versions=None, allow_hosts=('*',)):
    if build_ext:
        logger.warning('%s: the build options %s are not passed on: buildout-ts installs %s into the '
                       "buildout's environment with its own build back-end", _reading_for[0],
                       ', '.join(sorted(build_ext)), spec)
    env = _channel.call('eggs', specs=[str(spec)], part=_reading_for[0])
    _resolve([str(spec)], env['paths'], None)
    # zc.buildout returns the eggs it built in develop-eggs, which the part then owns; the
    # distribution lives in the shared environment here, so the part owns no file of it
    return []


def develop(setup, dest, build_ext=None, executable=sys.executable):
    import os
    directory = setup if os.path.isdir(setup) else os.path.dirname(setup)
    return _channel.call('develop', path=os.path.abspath(directory), part=_reading_for[0])


def sort_working_set(ws, eggs_dir, develop_eggs_dir):
    # every distribution of the environment shares one location: keep the set as it is
    # (zc.buildout rebuilds it from the locations, which would be the whole environment)
    return ws


def scripts(reqs, working_set, executable, dest=None, scripts=None, extra_paths=(), arguments='',
            interpreter=None, initialization='', relative_paths=False):
    if isinstance(reqs, str):
        raise TypeError('Expected iterable of requirements or entry points, got string.')
    eggs, entry_points = [], []
    for req in reqs:
        if isinstance(req, str):
            eggs.append(req)
        else:
            name, module, attrs = req
            entry_points.append('%s=%s:%s' % (name, module, attrs))
    return _channel.call(
        'scripts', part=_reading_for[0], eggs=eggs, entryPoints=entry_points, dest=dest,
        scripts=scripts, extraPaths=list(extra_paths or ()), arguments=arguments or '',
        interpreter=interpreter or None, initialization=initialization or '',
        relativePaths=relative_paths or None)


def _resolve(specs, paths, ws):
    import pkg_resources
    import zc.buildout
    full = pkg_resources.WorkingSet(paths)
    try:
        dists = full.resolve([pkg_resources.Requirement.parse(s) for s in specs])
    except pkg_resources.DistributionNotFound as e:
        raise zc.buildout.UserError("Couldn't find a distribution for %r." % str(e.req))
    except pkg_resources.VersionConflict as e:
        raise zc.buildout.UserError('There is a version conflict.\n%s' % (e.report(),))
    result = ws if ws is not None else pkg_resources.WorkingSet([])
    for d in dists:
        if d not in result:
            result.add(d)
    return result
