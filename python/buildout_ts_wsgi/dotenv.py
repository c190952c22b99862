"""A small `.env` reader with python-dotenv's everyday behaviour: KEY=VALUE
lines, `export ` prefix, quotes, `#` comments; existing variables win."""
from __future__ import annotations

import os

# `re` is imported only when a .env file exists (bin/instance fg starts faster without it)
_LINE = r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$"
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "'": "'"}


def parse(text):
    import re

    out = {}
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        m = re.match(_LINE, lines[i])
        i += 1
        if not m:
            continue
        key, rest = m.group(1), m.group(2)
        if rest[:1] in ("'", '"'):
            quote = rest[0]
            body = rest[1:]
            # a quoted value may span lines until its closing quote
            while _closing(body, quote) < 0 and i < len(lines):
                body += "\n" + lines[i]
                i += 1
            end = _closing(body, quote)
            value = body[:end] if end >= 0 else body
            if quote == '"':
                value = re.sub(r"\\(.)", lambda e: _ESCAPES.get(e.group(1), e.group(0)), value)
        else:
            value = re.split(r"\s+#", rest, 1)[0].strip()
        out[key] = value
    return out


def load(path, environ=None):
    """Sets the variables of `path` that are not set yet; returns them."""
    environ = os.environ if environ is None else environ
    try:
        with open(path, encoding="utf-8") as f:
            values = parse(f.read())
    except FileNotFoundError:
        return {}
    added = {}
    for key, value in values.items():
        if key not in environ:
            environ[key] = value
            added[key] = value
    return added


def _closing(body, quote):
    i = 0
    while i < len(body):
        c = body[i]
        if c == "\\" and quote == '"':
            i += 2
            continue
        if c == quote:
            return i
        i += 1
    return -1
