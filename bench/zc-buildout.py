# Runs Debian's zc.buildout 2.13.2 on Python 3.11 for benchmark comparisons only:
# two compatibility shims (collections.MutableMapping, python3X names it lacks).
import collections, collections.abc, sys
collections.MutableMapping = collections.abc.MutableMapping
import zc.buildout.buildout as bb
_orig = bb._default_globals
def _globals():
    g = _orig()
    for minor in range(0, 16):
        g.setdefault('python3%d' % minor, sys.version_info[:2] == (3, minor))
    return g
bb._default_globals = _globals
import zc.buildout.configparser as cp
if hasattr(cp, '_default_globals'):
    cp._default_globals = _globals
sys.argv = ['buildout'] + sys.argv[1:]
bb.main()
