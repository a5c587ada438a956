"""Keeps the push endpoint answering while clients that are slow, idle or too many try to starve it.

aiohttp and asyncio alone keep a connection that never finishes a request for an hour (aiohttp's keep-alive
default) or a minute (asyncio's TLS handshake default), cap no connections, and when the process runs out of
file descriptors asyncio logs an error at every retry. With ``push_host=0.0.0.0`` anyone on the network reaches
the port. So the endpoint's connections are handled like this:

- a TLS handshake must end within `TLS_HANDSHAKE_TIMEOUT` (asyncio's ``ssl_handshake_timeout``);
- a connection without a complete request is closed `IDLE_TIMEOUT` later (aiohttp's ``keepalive_timeout``, which
  also covers headers sent slowly; a timer from the accept covers the first request on every aiohttp version);
- a push body must arrive within `BODY_TIMEOUT` (checked by the receiver), and after a refusal the rest of a body
  is waited for `LINGERING_TIME` at most (aiohttp's ``lingering_time``);
- at accept, a connection over the cap per peer address or in all is closed at once (reset), so a flood from one
  address cannot take the slots the gateway needs; the caps stay below half the open-files limit;
- running out of file descriptors is logged once per episode (asyncio then retries the accept every second).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import struct
from collections import Counter
from collections.abc import Callable
from typing import Any

try:
    import resource
except ImportError:  # pragma: no cover - not on Windows
    resource = None  # type: ignore[assignment]  # the limits are then left as the system sets them

# A gateway on the network finishes TLS in well under a second; asyncio's default allows 60 s.
TLS_HANDSHAKE_TIMEOUT = 5.0
# A gateway sends its push at once after connecting or between pushes; a connection idle this long (or sending
# headers this slowly) is closed, as Apache's default KeepAliveTimeout does. The gateway reconnects when it must.
IDLE_TIMEOUT = 5.0
# A push body is at most 1 MiB, seconds on the slowest network a gateway is on.
BODY_TIMEOUT = 10.0
# After answering a request whose body it did not read (a refusal), the endpoint reads and drops what more comes
# for this long, so the client sees the answer rather than a reset; aiohttp's default, 10 s, lets a trickle hold on.
LINGERING_TIME = 1.0
# Connections in all, and from one peer address: above the 100 an aiohttp or requests client pool opens to one
# host, so the simulator's and a gateway's parallel pushes fit, far below what starves the process.
MAX_CONNECTIONS = 512
MAX_CONNECTIONS_PER_PEER = 128
FD_SHARE = 2  # the caps take at most 1/FD_SHARE of the open-files limit: the rest is the library's own
SHED_PER_ACCEPT = 64  # connections shed in one turn of the loop at most, so a flood cannot keep the loop busy
OUT_OF_DESCRIPTORS = "socket.accept() out of system resource"  # asyncio's message for EMFILE and the like

log = logging.getLogger(__name__)


def connection_caps() -> tuple[int, int]:
    """The caps on connections in all and per peer address, within this process's open-files limit."""
    total = MAX_CONNECTIONS
    if resource is not None:
        soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
        if soft != resource.RLIM_INFINITY:
            total = max(1, min(total, soft // FD_SHARE))
    return total, min(MAX_CONNECTIONS_PER_PEER, total)


class GuardedConnection(socket.socket):
    """An accepted connection that tells the guard when it is closed, whoever closes it."""

    on_close: Callable[[], None] | None = None

    def close(self) -> None:
        callback, self.on_close = self.on_close, None
        super().close()
        if callback is not None:
            callback()


class GuardedListener(socket.socket):
    """A listening socket whose accept (called by asyncio's event loop) sheds connections over the caps."""

    guard: ConnectionGuard

    def accept(self) -> tuple[socket.socket, Any]:
        for _ in range(SHED_PER_ACCEPT):
            fd, address = self._accept()  # type: ignore[attr-defined]  # BlockingIOError when none is waiting
            connection = GuardedConnection(self.family, self.type, self.proto, fileno=fd)
            if self.guard.admit(connection, address):
                return connection, address
            # Reset, not closed politely: nothing of the shed connection stays behind in TIME_WAIT or lingering.
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()
        raise BlockingIOError("connections shed; the rest wait for the next turn of the loop")


class ConnectionGuard:
    """Counts the endpoint's connections per peer, sheds those over the caps and closes those that stay idle."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.max_connections, self.max_per_peer = connection_caps()
        self.open = 0
        self.shed = 0  # connections refused at accept for being over a cap
        self.dropped = 0  # connections closed for sending no complete request in time
        self.out_of_descriptors = 0  # episodes, each logged once
        self._exhausted = False
        self._per_peer: Counter[str] = Counter()
        self._first_request: dict[Any, asyncio.TimerHandle] = {}

    def listener(self, family: int, kind: int, proto: int) -> GuardedListener:
        sock = GuardedListener(family, kind, proto)
        sock.guard = self
        return sock

    def admit(self, connection: GuardedConnection, address: Any) -> bool:
        if self._exhausted:
            self._exhausted = False
            log.info("The push endpoint accepts connections again: file descriptors are free.")
        peer = str(address[0]) if isinstance(address, tuple) else str(address)
        if self.open >= self.max_connections or self._per_peer[peer] >= self.max_per_peer:
            self.shed += 1
            return False
        self.open += 1
        self._per_peer[peer] += 1
        deadline = self.loop.call_later(TLS_HANDSHAKE_TIMEOUT + IDLE_TIMEOUT, self._too_slow, connection, address)
        self._first_request[address] = deadline
        connection.on_close = lambda: self._closed(peer, address)
        return True

    def request_started(self, peername: Any) -> None:
        """A complete request arrived on the connection from ``peername``: from now on aiohttp's keep-alive
        timeout watches it."""
        deadline = self._first_request.pop(peername, None)
        if deadline is not None:
            deadline.cancel()

    def _too_slow(self, connection: GuardedConnection, address: Any) -> None:
        self._first_request.pop(address, None)
        self.dropped += 1
        with contextlib.suppress(OSError):  # the transport that owns the socket sees the stream end and closes
            connection.shutdown(socket.SHUT_RDWR)

    def _closed(self, peer: str, address: Any) -> None:
        self.open -= 1
        self._per_peer[peer] -= 1
        if not self._per_peer[peer]:
            del self._per_peer[peer]
        deadline = self._first_request.pop(address, None)
        if deadline is not None:
            deadline.cancel()

    def exception_handler(self, loop: asyncio.AbstractEventLoop, context: dict[str, Any]) -> None:
        """The event loop's handler: running out of file descriptors is logged once, not at every retry."""
        if context.get("message") != OUT_OF_DESCRIPTORS:
            loop.default_exception_handler(context)
            return
        if not self._exhausted:
            self._exhausted = True
            self.out_of_descriptors += 1
            error = context.get("exception")
            log.warning("The push endpoint cannot accept connections: the process is out of file descriptors "
                        "(%s). It retries every second and says so when it accepts again; raise the open-files "
                        "limit (ulimit -n) or find what holds them.", error)
