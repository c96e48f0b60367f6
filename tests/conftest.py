"""Shared test set-up: no test reaches the network."""

from __future__ import annotations

import socket

import pytest


class NetworkBlocked(RuntimeError):
    pass


@pytest.fixture(autouse=True)
def _block_network(monkeypatch):
    """Any attempt to open an internet connection fails loudly (Unix sockets and this machine's
    loopback, where a test's own Dask scheduler listens, stay usable)."""
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _loopback(address[0]):
            raise NetworkBlocked(f"tests must not reach the network (tried {address!r})")
        return real_connect(self, address)

    def guarded_getaddrinfo(host, *args, **kwargs):
        if not _loopback(host):
            raise NetworkBlocked(f"tests must not reach the network (tried {host!r})")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_getaddrinfo)


def _loopback(host) -> bool:
    """Whether ``host`` is this machine (loopback, or the any-address a listener binds)."""
    import ipaddress

    if host in (None, "localhost", ""):
        return host is not None
    try:
        address = ipaddress.ip_address(str(host).strip("[]"))
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified  # 0.0.0.0: a local listener's bind


def _refuse(*args, **kwargs):
    raise NetworkBlocked(f"tests must not reach the network (tried {args[:2]!r})")
