"""`egg:buildout-ts-wsgi#sentry`: a paste.filter_app_factory that initialises
sentry-sdk with a logging integration (the recipe's `sentry_*` options), or,
when sentry-sdk is not installed, logs one warning and passes requests through."""
from __future__ import annotations

import logging

log = logging.getLogger("buildout_ts_wsgi")
_warned = []


def make_filter(app, global_conf, dsn="", level="INFO", event_level="ERROR", ignorelist="",
                max_value_length="", **kw):
    try:
        import sentry_sdk
        from sentry_sdk.integrations.logging import LoggingIntegration, ignore_logger
        from sentry_sdk.integrations.wsgi import SentryWsgiMiddleware
    except ImportError:
        if not _warned:
            _warned.append(True)
            log.warning("sentry filter: sentry-sdk is not installed, errors are NOT reported to "
                        "Sentry (add `sentry-sdk` to [instance] eggs)")
        return app
    if not dsn.strip():
        log.warning("sentry filter: no dsn given, errors are NOT reported to Sentry")
        return app
    options = {
        "dsn": dsn.strip(),
        "integrations": [LoggingIntegration(level=_level(level), event_level=_level(event_level))],
    }
    if str(max_value_length).strip():
        options["max_value_length"] = int(max_value_length)
    sentry_sdk.init(**options)
    for name in ignorelist.split():
        ignore_logger(name)
    return SentryWsgiMiddleware(app)


def _level(name):
    value = logging.getLevelName(str(name).strip().upper())
    if not isinstance(value, int):
        raise ValueError("sentry filter: unknown log level %r" % name)
    return value
