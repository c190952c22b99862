"""The few zope.conf facts the stand-in shows (a line scanner, not ZConfig)."""
from __future__ import annotations

import re

_DEFINE = re.compile(r"^%define\s+(\S+)\s+(.*)$")


def read_facts(path):
    facts = {"zope_conf": path, "instancehome": None, "clienthome": None, "storage": None,
             "debug_mode": None, "servers": []}
    defines = {}
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            m = _DEFINE.match(line)
            if m:
                defines[m.group(1)] = _expand(m.group(2).strip(), defines)
                continue
            line = _expand(line, defines)
            low = line.lower()
            key, _, value = line.partition(" ")
            key = key.lower()
            if key in ("instancehome", "clienthome"):
                facts[key] = value.strip()
            elif key == "debug-mode":
                facts["debug_mode"] = value.strip().lower() in ("on", "true", "1", "yes")
            elif low.startswith("<zeoclient") or low.startswith("<clientstorage"):
                facts["storage"] = "zeoclient"
            elif low.startswith("<filestorage") and facts["storage"] is None:
                facts["storage"] = "filestorage"
            elif low.startswith("<relstorage") and facts["storage"] is None:
                facts["storage"] = "relstorage"
            elif key == "server" and facts["storage"] == "zeoclient":
                facts["servers"].append(value.strip())
    return facts


def _expand(text, defines):
    # ZConfig's $NAME / ${NAME} substitution of %define'd names
    def sub(m):
        name = m.group(1) or m.group(2)
        return defines.get(name, m.group(0))

    return re.sub(r"\$\{(\w+)\}|\$(\w+)", sub, text)
