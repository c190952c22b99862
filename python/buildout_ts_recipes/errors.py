"""What buildout-ts is told about an exception: zc.buildout's distinction between a
user error (the recipe's own message is shown) and any other exception (its type,
message and traceback; buildout-ts shows the traceback only with -D)."""
import traceback


def describe(e, kind=None):
    try:
        import zc.buildout
        user = isinstance(e, zc.buildout.UserError)
    except Exception:
        user = False
    try:
        import distutils.errors
        user = user or isinstance(e, distutils.errors.DistutilsError)
    except Exception:
        pass
    remote = getattr(e, 'error', None)
    if isinstance(remote, dict):
        # an error buildout-ts itself raised (passed through a recipe): hand it back as it was
        return dict(remote)
    return {
        'kind': kind or getattr(e, 'kind', None) or ('user' if user else 'exception'),
        'type': type(e).__name__,
        'message': str(e),
        'traceback': ''.join(traceback.format_exception(type(e), e, e.__traceback__)),
    }


class HostError(Exception):
    """A failure with a kind buildout-ts maps to its own error codes."""

    def __init__(self, kind, message):
        Exception.__init__(self, message)
        self.kind = kind
