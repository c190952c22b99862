"""Reading the ini file the way PasteDeploy does (for the server section we
resolve ourselves) and setting up logging from it (as Zope's serve.py)."""
from __future__ import annotations

import configparser
import os

from .errors import LaunchError


def _parser(ini, defaults):
    try:
        from paste.deploy.loadwsgi import NicerConfigParser

        parser = NicerConfigParser(ini, defaults=defaults)
    except ImportError:  # an older/newer PasteDeploy without it: same syntax
        parser = configparser.ConfigParser(defaults=defaults)
    parser.optionxform = str  # PasteDeploy keeps the case of keys
    return parser


def read_server_section(ini, section, variables):
    """(use, local_conf) of a server section with PasteDeploy's
    interpolation (`%(here)s`, `%(__file__)s`, command-line variables)."""
    if not os.path.isfile(ini):
        raise LaunchError("no such configuration file: %s" % ini)
    defaults = dict(variables, __file__=ini, here=os.path.dirname(ini))
    parser = _parser(ini, defaults)
    try:
        with open(ini, encoding="utf-8") as f:
            parser.read_file(f, ini)
    except (configparser.Error, UnicodeDecodeError) as e:
        raise LaunchError("%s cannot be parsed: %s" % (ini, e)) from None
    if not parser.has_section(section):
        raise LaunchError("%s has no [%s] section" % (ini, section))
    conf = {}
    for key in parser.options(section):
        if key in defaults and not _set_in_section(parser, section, key):
            continue
        try:
            conf[key] = parser.get(section, key)
        except configparser.Error as e:
            raise LaunchError("%s [%s] %s: %s" % (ini, section, key, e)) from None
    use = conf.pop("use", None)
    return use, conf


def setup_logging(ini, variables):
    """logging.config.fileConfig of the ini's [loggers]... sections with
    `__file__`/`here` defaults; Zope's own function when Zope is there."""
    try:
        from Zope2.Startup.serve import setup_logging as zope_setup_logging
    except ImportError:
        zope_setup_logging = None
    if zope_setup_logging is not None:
        zope_setup_logging(ini, global_conf=dict(variables))
        return
    parser = configparser.ConfigParser()
    parser.read([ini])
    if parser.has_section("loggers"):
        from logging.config import fileConfig

        defaults = dict(variables, __file__=ini, here=os.path.dirname(ini))
        try:
            fileConfig(ini, defaults, disable_existing_loggers=False)
        except Exception as e:
            raise LaunchError("%s: logging configuration failed: %s" % (ini, e)) from None


def _set_in_section(parser, section, key):
    # ConfigParser merges defaults into every section; `_sections` tells them apart
    raw = getattr(parser, "_sections", {}).get(section, {})
    return key in raw
