"""The whole-request deadline: which socket it cuts, when, and what the failure then says.

A read timeout bounds each chunk only; `_Watch` bounds the whole exchange by shutting the connection's socket
down under the reading thread. These tests drive it with socket pairs, so they wait for events, never for time.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
import requests
from requests.adapters import BaseAdapter
from urllib3.connection import HTTPSConnection

from CCGatewayLibrary.errors import TransportError
from CCGatewayLibrary.secrets import SecretRegistry
from CCGatewayLibrary.transport import GatewaySession, GuidHolder
from CCGatewayLibrary.transport import session as transport_session
from CCGatewayLibrary.transport.session import _Watch, _WatchedConnection


@pytest.fixture
def pair() -> Iterator[tuple[socket.socket, socket.socket]]:
    """The client's end of a connection and the gateway's end, which sees EOF once the client's is shut down."""
    client, gateway = socket.socketpair()
    gateway.settimeout(5)  # only a broken watch leaves the socket open; fail instead of hanging
    yield client, gateway
    client.close()
    gateway.close()


def _was_shut_down(gateway_end: socket.socket) -> bool:
    return gateway_end.recv(1) == b""


# ---------------------------------------------------------------- which socket the deadline cuts


def test_a_socket_opened_after_the_watch_attached_is_cut(pair: tuple[socket.socket, socket.socket]) -> None:
    client, gateway = pair
    connection = SimpleNamespace(sock=None)
    with _Watch(60) as watch:
        watch.attach(connection)  # before the request: not connected yet
        connection.sock = client  # connecting made the socket
        watch._expire()
    assert watch.expired and watch.cut
    assert _was_shut_down(gateway)


def test_the_socket_is_cut_after_the_connection_let_go_of_it(pair: tuple[socket.socket, socket.socket]) -> None:
    client, gateway = pair
    connection = SimpleNamespace(sock=client)
    with _Watch(60) as watch:
        watch.attach(connection)  # after the request was sent
        connection.sock = None  # http.client drops it on "Connection: close" while the body is still read
        watch._expire()
    assert watch.cut
    assert _was_shut_down(gateway)


def test_a_connection_made_once_the_deadline_had_passed_is_cut_at_once(
    pair: tuple[socket.socket, socket.socket],
) -> None:
    client, gateway = pair
    with _Watch(60) as watch:
        watch._expire()  # nothing connected yet: nothing to cut
        assert watch.expired and not watch.cut
        watch.attach(SimpleNamespace(sock=client))  # a retry connected after the deadline
        assert watch.cut
    assert _was_shut_down(gateway)


def test_one_daemon_thread_keeps_every_deadline() -> None:
    with _Watch(60):
        pass
    before = set(threading.enumerate())
    with _Watch(60), _Watch(30), _Watch(90):
        assert set(threading.enumerate()) == before  # no thread per request
    watchdogs = [t for t in threading.enumerate() if t.name == "ccgw-deadlines"]
    assert len(watchdogs) == 1 and watchdogs[0].daemon  # never keeps the process alive


def test_a_sooner_deadline_wakes_the_watchdog_and_later_ones_still_expire() -> None:
    late = _Watch(60)
    with late, _Watch(0.05) as soon:
        deadline = time.monotonic() + 10
        while not soon.expired and time.monotonic() < deadline:
            time.sleep(0.01)
        assert soon.expired and not late.expired


# ---------------------------------------------------------------- the connection tells the watch


def _connection(monkeypatch: pytest.MonkeyPatch, during: Any) -> _WatchedConnection:
    """A watched connection whose request, instead of going to the network, connects to ``during``'s socket."""

    def request(self: HTTPSConnection, *args: Any, **kwargs: Any) -> None:
        self.sock = during.client
        during.hook()

    monkeypatch.setattr(HTTPSConnection, "request", request)
    return _WatchedConnection("127.0.0.1", 443)


def test_a_deadline_passing_while_the_request_is_sent_cuts_it_at_once(
    monkeypatch: pytest.MonkeyPatch, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, gateway = pair
    seen: dict[str, bool] = {}
    with _Watch(60) as watch:

        def deadline_passes() -> None:
            watch._expire()
            seen["cut while sending"] = watch.cut

        _connection(monkeypatch, SimpleNamespace(client=client, hook=deadline_passes)).request("GET", "/x")
    assert seen == {"cut while sending": True}
    assert _was_shut_down(gateway)


def test_the_socket_of_a_sent_request_stays_within_reach_of_the_deadline(
    monkeypatch: pytest.MonkeyPatch, pair: tuple[socket.socket, socket.socket]
) -> None:
    client, gateway = pair
    with _Watch(60) as watch:
        connection = _connection(monkeypatch, SimpleNamespace(client=client, hook=lambda: None))
        connection.request("GET", "/x")
        connection.sock = None  # as http.client does when the reply says "Connection: close"
        watch._expire()
    assert watch.cut
    assert _was_shut_down(gateway)


def test_sessions_connect_through_watched_pools() -> None:
    session = GatewaySession("https://gw.example:8043", guid=GuidHolder(SecretRegistry()))
    adapter = session._http.get_adapter("https://gw.example:8043/x")
    pool = adapter.poolmanager.connection_from_url("https://gw.example:8043/x")
    proxied = adapter.proxy_manager_for("http://proxy.example:3128").connection_from_url("https://gw.example:8043/x")
    assert pool.ConnectionCls is _WatchedConnection and proxied.ConnectionCls is _WatchedConnection


# ---------------------------------------------------------------- what a cut request says


class Stalled(BaseAdapter):
    """A gateway that keeps the connection open and never answers, until the deadline cuts it; then the
    transport raises ``error``, as requests would."""

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def send(self, request: requests.PreparedRequest, **kwargs: Any) -> requests.Response:
        client, gateway = socket.socketpair()
        with client, gateway:
            transport_session._current.watch.attach(SimpleNamespace(sock=client))
            client.recv(1)  # returns when the watch shuts the socket down
        raise self.error

    def close(self) -> None:
        pass


def _stalled_session(error: Exception) -> GatewaySession:
    # Deadline 0.1 + 0.2 s; the messages name each part, formatted with :g.
    session = GatewaySession(
        "https://gw.example:8043", guid=GuidHolder(SecretRegistry()), connect_timeout=0.1, read_timeout=0.2
    )
    session._http.mount("https://", Stalled(error))
    return session


def test_a_reply_cut_by_the_deadline_says_it_was_too_slow() -> None:
    session = _stalled_session(requests.exceptions.ConnectionError("Connection broken: IncompleteRead"))
    with pytest.raises(TransportError) as failed:
        session.send("GET", "/x")
    assert str(failed.value) == (
        "GET /x at gw.example:8043: no complete reply within 0.3 s (0.1 s to connect + 0.2 s "
        "to answer): the gateway kept the connection open but answered too slowly."
    )


def test_a_handshake_cut_by_the_deadline_says_so() -> None:
    session = _stalled_session(requests.exceptions.SSLError("EOF occurred in violation of protocol"))
    with pytest.raises(TransportError) as failed:
        session.send("GET", "/x")
    assert str(failed.value) == "GET /x at gw.example:8043: the TLS handshake did not finish within 0.3 s."
