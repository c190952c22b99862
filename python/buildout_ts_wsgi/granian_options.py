"""`[server:main]` of `egg:buildout-ts-wsgi#granian` -> keyword arguments of granian's
server (pure: granian is not imported here, so the keys are checked before anything loads).

Keys are granian's own option names (its CLI's `--http1-keep-alive` is `http1_keep_alive`;
a dash may stand for an underscore), plus what the other templates use: `host`/`port` or
`listen` (one address, `%(http_address)s`), and `threads` for granian's blocking threads
(the Python threads that run the application in each worker).
"""
from __future__ import annotations

from .addresses import parse_listen
from .errors import LaunchError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
# Zope's and waitress's default: each thread holds a ZODB connection (pool size 7 by
# default); granian's own default (backpressure / 2 = 512 threads) would exceed it at once
DEFAULT_THREADS = 4

_TRUE = ("1", "true", "on", "yes")
_FALSE = ("0", "false", "off", "no")

# key -> (type, granian keyword, extra): int/float with a minimum (and maximum), bool,
# a choice, a string, or a space-separated list
_KEYS = {
    "workers": ("int", "workers", (1, None)),
    "threads": ("int", "blocking_threads", (1, None)),
    "blocking_threads": ("int", "blocking_threads", (1, None)),
    "blocking_threads_idle_timeout": ("int", "blocking_threads_idle_timeout", (5, 600)),
    "runtime_threads": ("int", "runtime_threads", (1, None)),
    "runtime_blocking_threads": ("int", "runtime_blocking_threads", (1, None)),
    "runtime_mode": ("choice", "runtime_mode", ("auto", "mt", "st")),
    "loop": ("choice", "loop", ("auto", "asyncio", "uvloop", "rloop")),
    "task_impl": ("choice", "task_impl", ("asyncio", "rust")),
    "http": ("choice", "http", ("auto", "1", "2")),
    "backlog": ("int", "backlog", (128, None)),
    "backpressure": ("int", "backpressure", (1, None)),
    "log_level": ("choice", "log_level", ("critical", "error", "warning", "warn", "info", "debug", "notset")),
    "log_access": ("bool", "log_access", None),
    "log_access_format": ("str", "log_access_format", None),
    "url_path_prefix": ("str", "url_path_prefix", None),
    "respawn_failed_workers": ("bool", "respawn_failed_workers", None),
    "respawn_interval": ("float", "respawn_interval", (0, None)),
    "workers_lifetime": ("int", "workers_lifetime", (60, None)),
    "workers_max_rss": ("int", "workers_max_rss", (1, None)),
    "workers_kill_timeout": ("int", "workers_kill_timeout", (1, 1800)),
    "rss_sample_interval": ("int", "rss_sample_interval", (1, None)),
    "rss_samples": ("int", "rss_samples", (1, None)),
    "process_name": ("str", "process_name", None),
    "static_path_route": ("list", "static_path_route", None),
    "static_path_mount": ("list", "static_path_mount", None),
    "static_path_dir_to_file": ("str", "static_path_dir_to_file", None),
    "static_path_expires": ("int", "static_path_expires", (0, None)),
    "metrics_enabled": ("bool", "metrics_enabled", None),
    "metrics_scrape_interval": ("int", "metrics_scrape_interval", (1, None)),
    "metrics_address": ("str", "metrics_address", None),
    "metrics_port": ("int", "metrics_port", (1, 65535)),
}
# granian's HTTPxSettings fields, given as http1_<field> / http2_<field>
HTTP1_KEYS = {
    "header_read_timeout": ("int", (1, None)),
    "keep_alive": ("bool", None),
    "max_buffer_size": ("int", (1, None)),
    "pipeline_flush": ("bool", None),
}
HTTP2_KEYS = {
    "adaptive_window": ("bool", None),
    "initial_connection_window_size": ("int", (1, None)),
    "initial_stream_window_size": ("int", (1, None)),
    "keep_alive_interval": ("int", (1, None)),
    "keep_alive_timeout": ("int", (1, None)),
    "max_concurrent_streams": ("int", (1, None)),
    "max_frame_size": ("int", (1, None)),
    "max_headers_size": ("int", (1, None)),
    "max_send_buffer_size": ("int", (1, None)),
}
# granian options that make no sense under bin/instance, with what to do instead
_REFUSED = {
    "interface": "the interface is always WSGI (the application of wsgi.ini)",
    "target": "the application is the [app:main]/[pipeline:main] of wsgi.ini",
    "factory": "the application is the [app:main]/[pipeline:main] of wsgi.ini",
    "working_dir": "bin/instance runs in the buildout directory",
    "env_files": "bin/instance reads <buildout directory>/.env itself",
    "pid_file": "the pid file is the recipe's pid-file option",
    "reload": "restart with bin/instance restart, or in place with bin/instance kill HUP",
    "uds": "bin/instance start and status need a TCP address: use host/port or listen",
    "uds_permissions": "bin/instance start and status need a TCP address: use host/port or listen",
    "ssl_cert": "bin/instance start checks plain HTTP: terminate TLS in front (haproxy, nginx)",
    "ssl_key": "bin/instance start checks plain HTTP: terminate TLS in front (haproxy, nginx)",
    "websockets": "WSGI has no websockets",
    "log_dictconfig": "logging is configured by the [loggers] sections of wsgi.ini",
    "log_enabled": "use log_level, or the [loggers] sections of wsgi.ini",
}
_ADDRESS_KEYS = ("host", "port", "listen")
# PasteDeploy's own keys (ignored, as every factory does)
_IGNORED = ("paste.server_factory", "paste.server_runner")


def granian_options(conf):
    """`[server:main]` keys (without `use`) -> (kwargs for granian's Server, http1, http2):
    the HTTP settings as dicts of field -> value (None when not given)."""
    conf = {_norm(k): v for k, v in conf.items() if k not in _IGNORED}
    kwargs = {}
    http1, http2 = {}, {}
    kwargs["address"], kwargs["port"] = _address(conf)
    for key, raw in sorted(conf.items()):
        value = raw.strip()
        if key in _ADDRESS_KEYS:
            continue
        if key in _REFUSED or key.startswith("ssl_"):
            reason = _REFUSED.get(key, _REFUSED["ssl_cert"])
            raise LaunchError("[server:main] %s: not supported by buildout-ts's granian server: %s" % (key, reason))
        for prefix, table, out in (("http1_", HTTP1_KEYS, http1), ("http2_", HTTP2_KEYS, http2)):
            if key.startswith(prefix) and key[len(prefix):] in table:
                kind, extra = table[key[len(prefix):]]
                out[key[len(prefix):]] = _convert(key, value, kind, extra)
                break
        else:
            if key not in _KEYS:
                raise LaunchError("[server:main]: granian does not know the option %s (known: %s)"
                                  % (key, ", ".join(known_keys())))
            kind, name, extra = _KEYS[key]
            if name in kwargs and name == "blocking_threads":
                raise LaunchError("[server:main]: give threads or blocking_threads, not both")
            kwargs[name] = _convert(key, value, kind, extra)
    kwargs.setdefault("blocking_threads", DEFAULT_THREADS)
    if kwargs.get("http") == "2" and http1:
        raise LaunchError("[server:main]: http = 2 serves HTTP/2 only: the http1_* keys have no effect")
    if len(kwargs.get("static_path_route", ())) != len(kwargs.get("static_path_mount", ())) and kwargs.get("static_path_route"):
        raise LaunchError("[server:main]: static_path_route and static_path_mount need the same number of items")
    return kwargs, http1, http2


def known_keys():
    return sorted(set(_KEYS) | set(_ADDRESS_KEYS) | {"http1_" + k for k in HTTP1_KEYS} | {"http2_" + k for k in HTTP2_KEYS})


def section_address(conf):
    """(host, port) the server listens on (also for bin/instance start's HTTP check)."""
    return _address({_norm(k): v for k, v in conf.items()})


def _address(conf):
    listen = conf.get("listen", "").strip()
    if listen:
        if conf.get("host", "").strip() or conf.get("port", "").strip():
            raise LaunchError("[server:main]: give either listen or host/port, not both")
        addresses = parse_listen(listen)
        if len(addresses) != 1:
            raise LaunchError("[server:main] listen = %s: granian listens on one address" % listen)
        host, port = addresses[0]
        return host or "0.0.0.0", port
    host = conf.get("host", "").strip() or DEFAULT_HOST
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    port = conf.get("port", "").strip()
    return host, _convert("port", port, "int", (1, 65535)) if port else DEFAULT_PORT


def _norm(key):
    return key.strip().replace("-", "_")


def _convert(key, value, kind, extra):
    if kind == "int" or kind == "float":
        try:
            number = int(value) if kind == "int" else float(value)
        except ValueError:
            raise LaunchError("[server:main] %s = %s: not a%s number" % (key, value, "" if kind == "float" else " whole")) from None
        low, high = extra
        if (low is not None and number < low) or (high is not None and number > high):
            bounds = "at least %s" % low if high is None else "between %s and %s" % (low, high)
            raise LaunchError("[server:main] %s = %s: must be %s" % (key, value, bounds))
        return number
    if kind == "bool":
        if value.lower() in _TRUE:
            return True
        if value.lower() in _FALSE:
            return False
        raise LaunchError("[server:main] %s = %s: use on or off (true/false, yes/no, 1/0)" % (key, value))
    if kind == "choice":
        if value.lower() not in extra:
            raise LaunchError("[server:main] %s = %s: must be one of %s" % (key, value, ", ".join(extra)))
        return value.lower()
    if kind == "list":
        return value.split()
    return value
