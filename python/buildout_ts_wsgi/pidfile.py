"""Pid files: written atomically, removed only by their owner, and checked
against the live process table (a stale file is one whose process is gone)."""
from __future__ import annotations

import errno
import os


def write(path, pid):
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = "%s.%d.tmp" % (path, pid)
    with open(tmp, "w") as f:
        f.write("%d\n" % pid)
    os.replace(tmp, path)


def read(path):
    """The pid in the file, or None if there is no (valid) file."""
    try:
        with open(path) as f:
            text = f.read().strip()
    except (FileNotFoundError, NotADirectoryError):
        return None
    try:
        return int(text)
    except ValueError:
        return None


def remove_if_ours(path, pid):
    if read(path) == pid:
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def remove(path):
    try:
        os.remove(path)
    except FileNotFoundError:
        pass


def alive(pid):
    """True if the process exists and is not a zombie."""
    try:
        os.kill(pid, 0)
    except OSError as e:
        if e.errno == errno.ESRCH:
            return False
        if e.errno != errno.EPERM:
            raise
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        return state not in ("Z", "X")
    except (OSError, IndexError):
        return True


def is_server(pid, markers=(b"buildout_ts_wsgi", b"gunicorn")):
    """False when the process is known to be another program (the pid was reused
    after the server died without removing its file): its command line has none
    of the markers (our launcher; gunicorn may rename its master process)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmdline = f.read()
    except OSError:
        return True  # no /proc, or not ours to read: trust the pid file
    return not cmdline or any(m in cmdline for m in markers)
