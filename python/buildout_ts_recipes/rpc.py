"""JSON lines between buildout-ts and the host, in both directions.

A message with a "method" is a request ({"id", "method", "params"}); any other is the
answer to a request of the receiving side ({"id", "result"} or {"id", "error"}).
Either side may ask while it is being asked (a recipe constructor reads a section, which
makes buildout-ts construct another recipe): `call` serves the requests that arrive
while it waits for its answer.
"""
import json
import os


class RemoteError(Exception):
    """An error buildout-ts answered with (e.g. a missing section, a failed install)."""

    def __init__(self, error):
        Exception.__init__(self, error.get('message', 'error'))
        self.error = error


class Channel:
    def __init__(self, fd_in=3, fd_out=4):
        self._in = os.fdopen(fd_in, 'rb', buffering=0)
        self._out = os.fdopen(fd_out, 'wb', buffering=0)
        self._buffer = b''
        self._next_id = 0
        self.handlers = {}

    def call(self, method, **params):
        self._next_id += 1
        my_id = self._next_id
        self._send({'id': my_id, 'method': method, 'params': params})
        while True:
            message = self._receive()
            if message is None:
                raise SystemExit('buildout-ts went away')
            if 'method' in message:
                self._serve(message)
                continue
            if message.get('id') != my_id:
                continue
            if 'error' in message:
                raise RemoteError(message['error'])
            return message.get('result')

    def serve_forever(self):
        while True:
            message = self._receive()
            if message is None:
                return
            if 'method' in message:
                if self._serve(message) == 'shutdown':
                    return

    # --- internal ---

    def _serve(self, message):
        method = message['method']
        handler = self.handlers.get(method)
        try:
            if handler is None:
                raise KeyError('no such method: %s' % method)
            result = handler(**(message.get('params') or {}))
            self._send({'id': message['id'], 'result': result})
        except BaseException as e:  # answered, never lost: the host goes on
            from .errors import describe
            self._send({'id': message['id'], 'error': describe(e)})
            if isinstance(e, (KeyboardInterrupt, SystemExit)):
                raise
        return method

    def _send(self, message):
        data = (json.dumps(message) + '\n').encode('utf-8')
        while data:
            n = self._out.write(data)
            data = data[n:]

    def _receive(self):
        while b'\n' not in self._buffer:
            chunk = self._in.read(65536)
            if not chunk:
                return None
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b'\n', 1)
        return json.loads(line.decode('utf-8'))
