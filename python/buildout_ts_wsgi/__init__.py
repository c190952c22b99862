"""buildout-ts's own WSGI support: the server launcher (`serve`), the control
logic behind `bin/instance` (`ctl`), a waitress server factory that pre-binds
its sockets (`servers`) and a Sentry filter (`sentry`).

Installed into a buildout's environment by buildout-ts itself (no pip); see
README.md next to this package for commands and exit codes.
"""

__version__ = "0.1.0"
