"""zc.buildout's `Options` and `Buildout` as recipes and extensions see them, backed by
buildout-ts: a section's values are the ones buildout-ts materialised (substituted, with
the options other recipes computed); what a recipe sets on its own part is sent back
when its constructor returns."""
import logging
import os
import shutil
from collections.abc import MutableMapping

_BOOLS = {'true': True, 'false': False}


def _missing_option(message):
    import zc.buildout.buildout
    return zc.buildout.buildout.MissingOption(message)


def _missing_section(name):
    import zc.buildout.buildout
    return zc.buildout.buildout.MissingSection(name)


class Options(MutableMapping):
    """One section. `own` is the part whose recipe holds it: its changes stay here until
    buildout-ts collects them; a change to another section goes to buildout-ts at once."""

    def __init__(self, buildout, name, data, own=False):
        self.buildout = buildout
        self.name = name
        self._data = dict(data)
        self._own = own
        self._used = set()
        self._created = None
        self.recipe = None

    # --- mapping ---

    def get(self, option, default=None, seen=None):
        self._note(option)
        return self._data.get(option, default)

    def __getitem__(self, option):
        self._note(option)
        try:
            return self._data[option]
        except KeyError:
            raise _missing_option('Missing option: %s:%s' % (self.name, option))

    def __setitem__(self, option, value):
        if not isinstance(value, str):
            raise TypeError('Option values must be strings', value)
        self._data[option] = value
        self._used.add(option)
        if not self._own:
            self.buildout._set_option(self.name, option, value)

    def __delitem__(self, option):
        if option not in self._data:
            raise KeyError(option)
        del self._data[option]
        if not self._own:
            self.buildout._set_option(self.name, option, None)

    def __contains__(self, option):
        self._note(option)
        return option in self._data

    def keys(self):
        for k in self._data:
            self._note(k)
        return list(self._data)

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self._data)

    def copy(self):
        return dict(self._data)

    def __repr__(self):
        return repr(dict(self._data))

    # --- zc.buildout's helpers ---

    def query_bool(self, name, default=None):
        value = self.get(name, default)
        if value is None:
            return None
        return _bool(name, value)

    def get_bool(self, name, default=None):
        value = self.get(name, default)
        if value is None:
            raise _missing_option('Missing option: %s:%s' % (self.name, name))
        return _bool(name, value)

    def _call(self, f):
        """zc.buildout's Options._call: run in the buildout directory; on failure remove
        what the recipe registered with created()."""
        directory = self.buildout['buildout']['directory']
        self._created = []
        try:
            try:
                os.chdir(directory)
                return f()
            except BaseException:
                for p in self._created:
                    if os.path.isdir(p) and not os.path.islink(p):
                        shutil.rmtree(p)
                    elif os.path.lexists(p):
                        os.remove(p)
                    else:
                        logging.getLogger('zc.buildout').warning("Couldn't clean up %r.", p)
                raise
        finally:
            self._created = None
            os.chdir(directory)

    def created(self, *paths):
        try:
            self._created.extend(paths)
        except AttributeError:
            raise TypeError('Attempt to register a created path while not installing', self.name)
        return self._created

    # --- internal ---

    def _note(self, option):
        self._used.add(option)
        if not self._own:
            self.buildout._note_read(self.name, option, self._data.get(option))


def _bool(name, value):
    try:
        return _BOOLS[value]
    except KeyError:
        import zc.buildout
        raise zc.buildout.UserError('Invalid value for %s: %s' % (name, value))


class Buildout(MutableMapping):
    """The buildout as a mapping of sections, read from buildout-ts on first access."""

    def __init__(self, channel):
        self._channel = channel
        self._sections = {}
        self._own = {}
        # reads made on behalf of the part being constructed: [section, option, value]
        self._reads = None
        self._reading_for = None
        self._logger = logging.getLogger('zc.buildout')
        # zc.buildout's verbosity as a logging level (collective.recipe.plonesite reads it); set by hello
        self._log_level = logging.INFO

    # --- what recipes use ---

    def __getitem__(self, name):
        if name in self._own:
            return self._own[name]
        options = self._sections.get(name)
        if options is None:
            data = self._channel.call('section', name=name, part=self._reading_for)
            if data is None:
                if self._reads is not None:
                    self._reads.append([name, '', None])
                raise _missing_section(name)
            options = self._sections[name] = Options(self, name, data)
        return options

    def __setitem__(self, name, data):
        # zc.buildout: a new raw section, materialised at once (KeyError when it exists)
        if name in self._sections or name in self.keys():
            raise KeyError('Section already exists', name)
        values = dict((k, str(v)) for (k, v) in data.items())
        result = self._channel.call('add_section', name=name, options=values)
        self._sections[name] = Options(self, name, result)

    def __delitem__(self, name):
        raise NotImplementedError('__delitem__')

    def __contains__(self, name):
        return name in self._own or name in self.keys()

    def keys(self):
        return list(self._channel.call('sections'))

    def __iter__(self):
        return iter(self.keys())

    def __len__(self):
        return len(self.keys())

    @property
    def offline(self):
        return self['buildout'].get('offline') == 'true'

    @property
    def newest(self):
        return not self.offline and self['buildout'].get('newest') == 'true'

    @property
    def _buildout_dir(self):
        return self['buildout']['directory']

    @property
    def _links(self):
        return tuple(self['buildout'].get('find-links', '').split())

    @property
    def _allow_hosts(self):
        return tuple(h.strip() for h in self['buildout'].get('allow-hosts', '*').split('\n') if h.strip())

    def _buildout_path(self, name):
        if '${' in name:
            return name
        return os.path.join(self._buildout_dir, name)

    # --- buildout-ts' side ---

    def _set_option(self, section, option, value):
        self._channel.call('set_option', section=section, option=option, value=value)

    def _note_read(self, section, option, value):
        if self._reads is not None:
            self._reads.append([section, option, value])

    def _forget(self):
        """Values may have changed in buildout-ts (another recipe's constructor): read again."""
        self._sections.clear()
