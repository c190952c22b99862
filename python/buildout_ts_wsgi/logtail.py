"""`logtail`: the last lines of a log file, then follow it (rotation aware)."""
from __future__ import annotations

import os
import sys
import time


def tail_lines(path, count):
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 64 * 1024))
            data = f.read()
    except FileNotFoundError:
        return []
    return data.decode("utf-8", "replace").splitlines()[-count:]


def follow(path, lines=10, interval=0.25, out=None):
    out = out or sys.stdout
    for line in tail_lines(path, lines):
        out.write(line + "\n")
    out.flush()
    f = _open_at_end(path)
    try:
        while True:
            chunk = f.read() if f else ""
            if chunk:
                out.write(chunk)
                out.flush()
                continue
            time.sleep(interval)
            if _rotated(f, path):
                if f:
                    f.close()
                f = _open(path)
    except KeyboardInterrupt:
        return 0
    finally:
        if f:
            f.close()


def _open(path):
    try:
        return open(path, encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None


def _open_at_end(path):
    f = _open(path)
    if f:
        f.seek(0, os.SEEK_END)
    return f


def _rotated(f, path):
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return False
    if f is None:
        return True
    cur = os.fstat(f.fileno())
    return (st.st_ino, st.st_dev) != (cur.st_ino, cur.st_dev) or st.st_size < f.tell()
