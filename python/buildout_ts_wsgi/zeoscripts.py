"""`bin/zeopack` and `bin/repozo` of a plone.recipe.zeoserver part.

zeopack packs the storage through a ZEO client, as the recipe's script does:
`-S storage`, `-B blob directory`, `-D days` override the part's settings.
"""
from __future__ import annotations

import getopt
import logging
import os
import sys
import time

from .errors import EXIT_CONFIG, EXIT_FAILED, EXIT_OK

CONNECT_TIMEOUT = 60

PACK_USAGE = """usage: %(prog)s [-S STORAGE] [-B BLOB_DIR] [-D DAYS]

Packs the ZEO storage (default: storage %(storage)s on %(where)s, removing history
older than %(days)s days) through a ZEO client. -W and -1 are accepted for the
recipe's compatibility and ignored.
"""


def _missing(module, part):
    sys.stderr.write("error: %s is not importable in this buildout's Python environment: add ZEO to the "
                     "eggs of [%s] (it brings ZODB) and run bin/buildout again\n" % (module, part))
    return EXIT_CONFIG


def pack_address(host, port, unix):
    """What ClientStorage connects to: a Unix socket path or (host, port)."""
    if unix is not None:
        return unix
    return (host or "127.0.0.1", int(port))


def pack_options(argv, storage, blob_dir, days):
    """(storage, blob_dir, days) after the command line's -S/-B/-D."""
    opts = dict(getopt.getopt(argv, "S:B:D:W1h")[0])
    days = opts.get("-D") or days
    try:
        days = int(days)
    except (TypeError, ValueError):
        raise ValueError("-D needs a number of days, got %r" % days) from None
    return opts.get("-S") or storage, opts.get("-B") or blob_dir, days


def zeopack(part, host=None, port=None, unix=None, days="1", username=None, password=None, realm=None,
            blob_dir=None, storage="1", argv=()):
    prog = os.path.basename(sys.argv[0]) if sys.argv and sys.argv[0] else "zeopack"
    argv = list(argv)
    if "-h" in argv or "--help" in argv:
        where = unix or "%s:%s" % (host or "127.0.0.1", port)
        print(PACK_USAGE % {"prog": prog, "storage": storage, "where": where, "days": days}, end="")
        return EXIT_OK
    try:
        storage, blob_dir, days = pack_options(argv, storage, blob_dir, days)
        addr = pack_address(host, port, unix)
    except (getopt.GetoptError, ValueError) as e:
        sys.stderr.write("error: %s\n" % e)
        return EXIT_CONFIG
    try:
        from ZEO.ClientStorage import ClientStorage
        from ZEO.Exceptions import ClientDisconnected
    except ImportError:
        return _missing("ZEO", part)
    logging.basicConfig(level=logging.WARNING, stream=sys.stdout, format="%(name)s %(levelname)s %(message)s")
    kw = dict(storage=storage, wait=False, read_only=True, shared_blob_dir=True,
              blob_dir=os.path.abspath(blob_dir) if blob_dir else None)
    if username:
        kw.update(username=username, password=password, realm=realm)
    cs = None
    try:
        # the server should be running already: connect in the background and wait up to a
        # minute for it (as the recipe's zeopack), then pack and wait for the pack to end
        cs = ClientStorage(addr, **kw)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while not cs.is_connected():
            if time.monotonic() > deadline:
                sys.stderr.write("error: could not connect to the ZEO server at %s within %d s: is it "
                                 "running?\n" % (_where(addr), CONNECT_TIMEOUT))
                return EXIT_FAILED
            time.sleep(0.1)
        cs.pack(wait=True, days=days)
    except ClientDisconnected:
        sys.stderr.write("error: disconnected from the ZEO server at %s while packing: is it still "
                         "running?\n" % _where(addr))
        return EXIT_FAILED
    finally:
        if cs is not None:
            cs.close()
    print("packed storage %s on %s (history older than %d days removed)" % (storage, _where(addr), days))
    return EXIT_OK


def _where(addr):
    return addr if isinstance(addr, str) else "%s:%s" % addr


def repozo(part, custom=None, argv=()):
    """ZODB's repozo, or the part's custom repozo script."""
    if custom:
        import runpy

        sys.argv = [custom] + list(argv)
        runpy.run_path(custom, run_name="__main__")
        return EXIT_OK
    try:
        from ZODB.scripts import repozo as zodb_repozo
    except ImportError:
        return _missing("ZODB", part)
    sys.argv = [sys.argv[0]] + list(argv)
    return zodb_repozo.main()
