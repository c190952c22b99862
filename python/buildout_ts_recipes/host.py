"""The host's methods (what buildout-ts asks) — zc.buildout's recipe and extension API:

- construct: load the recipe's `zc.buildout` entry point (`dist` or `dist:name`) and call
  `Recipe(buildout, name, options)`; answer the options it set and what it read;
- install / update: `options._call(recipe.install)` (in the buildout directory, the paths
  registered with `options.created()` removed on failure); answer the paths;
- uninstall: the `zc.buildout.uninstall` entry point, `uninstaller(name, options)`;
- load_extensions / unload_extensions: `zc.buildout.extension` and
  `zc.buildout.unloadextension` entry points, called with the buildout (load answers what
  the extensions read).
"""
import importlib
import importlib.metadata
import logging
import os
import sys

from .errors import HostError
from .options import Buildout, Options


class Host:
    def __init__(self, channel):
        self.channel = channel
        self.buildout = Buildout(channel)
        self.current = [None]
        self.recipes = {}

    def methods(self):
        return {
            'hello': self.hello,
            'construct': self.construct,
            'install': self.install,
            'update': self.update,
            'uninstall': self.uninstall,
            'load_extensions': self.load_extensions,
            'unload_extensions': self.unload_extensions,
            'shutdown': lambda: None,
        }

    def hello(self, log_level=20, directory=None):
        logging.basicConfig(stream=sys.stderr, format='%(name)s: %(message)s', level=log_level)
        logging.getLogger().setLevel(log_level)
        self.buildout._log_level = log_level
        from . import easy_install
        import zc.buildout
        easy_install.patch(self.channel, self.current)
        if directory:
            os.chdir(directory)
        return {'python': sys.executable, 'zc.buildout': importlib.metadata.version('zc.buildout')}

    def construct(self, part, recipe, options):
        dist, entry = split_spec(recipe)
        factory = load_entry_point(dist, 'zc.buildout', entry, recipe)
        own = Options(self.buildout, part, options, own=True)
        self.buildout._own[part] = own
        self.buildout._forget()
        before = dict(options)
        self.buildout._reads, self.buildout._reading_for = [], part
        self.current[0] = part
        try:
            own.recipe = factory(self.buildout, part, own)
        except BaseException:
            del self.buildout._own[part]
            raise
        finally:
            reads, self.buildout._reads, self.buildout._reading_for = self.buildout._reads, None, None
            self.current[0] = None
        self.recipes[part] = own
        changed = {k: v for k, v in own._data.items() if before.get(k) != v}
        changed.update({k: None for k in before if k not in own._data})
        return {'set': changed, 'reads': unique(reads), 'signature': signature(dist)}

    def install(self, part):
        options = self._options(part)
        return self._run(part, options, options.recipe.install, 'install')

    def update(self, part):
        options = self._options(part)
        update = getattr(options.recipe, 'update', None)
        if update is None:
            logging.getLogger('zc.buildout').warning("The recipe for %s doesn't define an update method. Using its install method.", part)
            update = options.recipe.install
        return self._run(part, options, update, 'update')

    def uninstall(self, part, recipe, options):
        dist, entry = split_spec(recipe)
        try:
            uninstaller = load_entry_point(dist, 'zc.buildout.uninstall', entry, recipe)
        except HostError:
            return {'ran': False}
        logging.getLogger('zc.buildout').info('Running uninstall recipe.')
        self.current[0] = part
        try:
            uninstaller(part, Options(self.buildout, part, options, own=True))
        finally:
            self.current[0] = None
        return {'ran': True}

    def load_extensions(self, specs):
        # what they read of other sections: zc.buildout's unused-option check of [buildout]
        self.buildout._reads = []
        try:
            ran = self._extensions(specs, 'zc.buildout.extension')
        finally:
            reads, self.buildout._reads = self.buildout._reads, None
        return {'ran': ran, 'reads': unique(reads)}

    def unload_extensions(self, specs):
        return self._extensions(specs, 'zc.buildout.unloadextension')

    # --- internal ---

    def _options(self, part):
        options = self.recipes.get(part)
        if options is None:
            raise HostError('internal', 'The recipe of %s was not constructed in this run' % part)
        return options

    def _run(self, part, options, method, what):
        self.current[0] = part
        self.buildout._forget()
        try:
            returned = options._call(method)
        finally:
            self.current[0] = None
        unused = sorted(k for k in options._data if k not in options._used)
        if returned is None:
            paths = None
        elif isinstance(returned, str):
            paths = [returned]
        else:
            paths = [str(p) for p in returned]
        return {'paths': paths, 'unused': unused}

    def _extensions(self, specs, group):
        wanted = {canonical(split_spec(s)[0]) for s in specs}
        ran = []
        for dist in importlib.metadata.distributions():
            if canonical(dist.metadata['Name'] or '') not in wanted:
                continue
            for ep in dist.entry_points:
                if ep.group == group:
                    ep.load()(self.buildout)
                    ran.append('%s:%s' % (dist.metadata['Name'], ep.name))
        self.buildout._forget()
        return ran


def split_spec(spec):
    if ':' in spec:
        dist, entry = spec.split(':', 1)
        return dist.strip(), entry.strip()
    return spec.strip(), 'default'


def canonical(name):
    import re
    return re.sub(r'[-_.]+', '-', name).lower()


def load_entry_point(dist, group, name, spec):
    importlib.invalidate_caches()
    try:
        distribution = importlib.metadata.distribution(dist)
    except importlib.metadata.PackageNotFoundError:
        raise HostError('not-found', 'The distribution %s is not installed in the recipe environment' % dist)
    for ep in distribution.entry_points:
        if ep.group == group and ep.name == name:
            try:
                return ep.load()
            except Exception as e:
                import traceback
                err = HostError('import', 'Could not import the recipe %s (%s = %s): %s: %s' % (spec, name, ep.value, type(e).__name__, e))
                err.__cause__ = e
                err.traceback_text = traceback.format_exc()
                raise err
    raise HostError('no-entry-point', '%s has no %s entry point named %r' % (dist, group, name))


def signature(dist):
    """The recipe's distribution and its requirements, as `name-version` (zc.buildout's
    `__buildout_signature__` names the recipe's distributions too)."""
    import pkg_resources
    try:
        dists = pkg_resources.working_set.resolve([pkg_resources.Requirement.parse(dist)])
    except Exception:
        return dist
    return ' '.join(sorted({'%s-%s' % (d.project_name, d.version) for d in dists}))


def unique(reads):
    seen, out = set(), []
    for r in reads:
        key = (r[0], r[1])
        if key in seen:
            continue
        seen.add(key)
        out.append(r)
    return out


def main():
    # fd 1 is the terminal's stderr too: a recipe's print() never reaches buildout-ts' stdout
    from .rpc import Channel
    channel = Channel()
    host = Host(channel)
    channel.handlers.update(host.methods())
    channel.serve_forever()
