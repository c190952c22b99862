"""Where a `[server:main]` section listens: parsing of `listen`-style address
lists and of the per-server host/port keys, and binding/probing sockets."""
from __future__ import annotations

import errno
import socket

from .errors import AddressInUse, LaunchError

DEFAULT_PORT = 8080


def parse_listen(value: str) -> list[tuple[str, int]]:
    """`host:port`, `[v6]:port`, `*:port` or `port` items separated by whitespace
    (waitress's `listen` syntax, also the recipe's `fast-listen`)."""
    out = []
    for item in value.split():
        if item.startswith("["):
            host, sep, rest = item[1:].partition("]")
            if not sep or not rest.startswith(":"):
                raise LaunchError("invalid address %r: expected [IPv6]:PORT" % item)
            port = rest[1:]
        elif ":" in item:
            host, _, port = item.rpartition(":")
        else:
            host, port = "0.0.0.0", item
        if host == "*":
            host = ""
        try:
            out.append((host, int(port)))
        except ValueError:
            raise LaunchError("invalid port in address %r" % item) from None
    return out


def section_addresses(use: str, conf: dict) -> list[tuple[str, int]]:
    """The addresses a server section will listen on, following each server's
    own key rules (see spec wsgi-shims.md); empty host means all interfaces."""
    if "granian" in use:
        from .granian_options import section_address

        return [section_address(conf)]
    for key in ("fast-listen", "listen"):
        if conf.get(key, "").strip() and "bjoern" not in use:
            return parse_listen(conf[key])
    if "gunicorn" in use and conf.get("bind"):
        return parse_listen(conf["bind"].replace(",", " "))
    host = conf.get("hostname") or conf.get("host")
    port = conf.get("port")
    if "bjoern" in use:
        if not host and not _int(port) and conf.get("listen"):
            text = conf["listen"].strip()
            if ":" in text:
                parts = text.split(":")
                return [(parts[0], int(parts[1]))]
            return [("", int(text))]
        return [(host or "", _int(port) or DEFAULT_PORT)]
    if "gunicorn" in use:
        return [(host or "127.0.0.1", _int(port) or 8000)]
    return [(host if host is not None else "0.0.0.0", _int(port) or DEFAULT_PORT)]


def connect_host(host: str) -> str:
    """The address a client on this machine uses to reach a server bound to host."""
    if host in ("", "0.0.0.0", "*"):
        return "127.0.0.1"
    if host == "::":
        return "::1"
    return host


def bind_sockets(addresses, backlog: int) -> list[socket.socket]:
    """Binds and listens on every address now (before the application loads),
    so the port is taken early and connections queue while Zope starts."""
    socks = []
    try:
        for host, port in addresses:
            for family, _type, _proto, _name, sockaddr in _resolve(host, port):
                sock = socket.socket(family, socket.SOCK_STREAM)
                socks.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    # lets 0.0.0.0:P and [::]:P be listed side by side, as waitress does
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                try:
                    sock.bind(sockaddr)
                except OSError as e:
                    if e.errno == errno.EADDRINUSE:
                        raise AddressInUse(host, port) from None
                    raise LaunchError("cannot listen on %s:%s: %s" % (host, port, e.strerror)) from None
                sock.listen(backlog)
    except BaseException:
        for s in socks:
            s.close()
        raise
    return socks


def probe_free(addresses) -> None:
    """Fails with AddressInUse if something already listens on an address
    (servers that bind late would otherwise fail only after the app loaded)."""
    for sock in bind_sockets(addresses, 1):
        sock.close()


def _resolve(host, port):
    try:
        return socket.getaddrinfo(host or None, port, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)
    except socket.gaierror as e:
        raise LaunchError("cannot resolve listen address %r: %s" % (host, e.strerror)) from None


def _int(value):
    try:
        return int(value) if value not in (None, "") else 0
    except ValueError:
        raise LaunchError("invalid port %r" % value) from None
