"""The push endpoint under a flood: slow and idle clients are dropped within seconds, connections are capped per
peer address and in all, running out of file descriptors is logged once and recovered from, and a real push gets
through meanwhile.

The attacks come from 127.0.0.2 and 127.0.0.3 (on Linux the whole of 127/8 is the loopback), the real pushes
from 127.0.0.1, as a gateway's address differs from an attacker's.
"""

from __future__ import annotations

import contextlib
import json
import resource
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.events import EventJournal
from CCGatewayLibrary.events import guard as guard_module
from CCGatewayLibrary.events.guard import BODY_TIMEOUT, IDLE_TIMEOUT, TLS_HANDSHAKE_TIMEOUT
from CCGatewayLibrary.events.receiver import CALLBACK_PATH, PushReceiver

CATALOGUE = load_catalogue()
ENDPOINT = Path(__file__).with_name("push_flood_endpoint.py")
ATTACKER, SECOND_ATTACKER, THIRD_ATTACKER = "127.0.0.2", "127.0.0.3", "127.0.0.4"
SLACK = 2.5  # how much later than its timeout a connection may be seen closed (the test looks once a second)
READY = {"eventType": "AgentState_Ready", "workNo": "101", "content": None, "eventGenTime": 1_700_000_000_000}

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="needs the whole 127/8 loopback network (Linux)")


@pytest.fixture
def receiver() -> Iterator[PushReceiver]:
    endpoint = PushReceiver(CATALOGUE)
    endpoint.start()
    yield endpoint
    endpoint.stop()


def _address(url: str) -> tuple[str, int]:
    parts = urlsplit(url)
    return parts.hostname or "", parts.port or 443


def _connect(address: tuple[str, int], source: str) -> socket.socket:
    return socket.create_connection(address, timeout=5, source_address=(source, 0))


def _tls(address: tuple[str, int], source: str, ca_file: Path) -> ssl.SSLSocket:
    context = ssl.create_default_context(cafile=str(ca_file))
    return context.wrap_socket(_connect(address, source), server_hostname=address[0])


def _closed(sock: socket.socket) -> bool:
    """Whether the endpoint has ended the connection (it may have answered first)."""
    sock.setblocking(False)
    try:
        while sock.recv(4096):
            pass
    except (BlockingIOError, ssl.SSLWantReadError):
        return False
    except OSError:
        return True
    finally:
        sock.setblocking(True)
    return True


def _push(url: str, ca_file: str, token: str) -> requests.Response:
    return requests.post(url, json={"workNo": "101", "eventList": [READY]}, headers={"service_token": token},
                         verify=ca_file, timeout=10)


def test_slow_and_idle_clients_are_dropped_within_seconds_while_a_push_gets_through(receiver: PushReceiver) -> None:
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    address, path = _address(receiver.base_url), CALLBACK_PATH.format(agentid="101")
    head = f"POST {path} HTTP/1.1\r\nHost: {address[0]}\r\nContent-Type: application/json\r\n".encode()
    # Silent: not even a TLS hello. Slow headers: TLS done, then a header byte a second. Slow body: the headers
    # with the token, then a byte of the body a second.
    silent = [_connect(address, ATTACKER) for _ in range(10)]
    slow_headers = [_tls(address, ATTACKER, receiver.ca_file) for _ in range(10)]
    slow_body = [_tls(address, ATTACKER, receiver.ca_file) for _ in range(5)]
    for sock in slow_body:
        sock.sendall(head + f"service_token: {registration.token.value}\r\nContent-Length: 1000\r\n\r\n".encode())
    trickle = {id(sock): iter(b"x" * 1000 if sock in slow_body else head * 100) for sock in slow_headers + slow_body}
    started, closed_after = time.monotonic(), {}
    kinds = {"silent": silent, "slow headers": slow_headers, "slow body": slow_body}
    limits = {"silent": TLS_HANDSHAKE_TIMEOUT, "slow headers": TLS_HANDSHAKE_TIMEOUT + IDLE_TIMEOUT,
              "slow body": BODY_TIMEOUT}
    pushed = None
    try:
        while len(closed_after) < sum(map(len, kinds.values())) and \
                time.monotonic() - started < max(limits.values()) + SLACK:
            for sock in (sock for socks in kinds.values() for sock in socks if id(sock) not in closed_after):
                if _closed(sock):
                    closed_after[id(sock)] = time.monotonic() - started
                elif id(sock) in trickle:
                    with contextlib.suppress(OSError):
                        sock.sendall(bytes([next(trickle[id(sock)])]))
            if pushed is None and time.monotonic() - started > 2:
                pushed = _push(receiver.base_url + path, str(receiver.ca_file), registration.token.value)
            time.sleep(1)
        for kind, socks in kinds.items():
            late = [closed_after.get(id(sock)) for sock in socks]
            assert all(after is not None and after <= limits[kind] + SLACK for after in late), \
                f"{kind} connections were not dropped within {limits[kind] + SLACK:g} s: {late}"
        assert pushed is not None and pushed.status_code == 200
        assert [r.name for r in journal.events()] == ["AgentState_Ready"]
        assert any("did not arrive within" in p.text for p in journal.gaps())  # a slow body may be a lost push
    finally:
        registration.close()
        for sock in (sock for socks in kinds.values() for sock in socks):
            sock.close()


def test_connections_over_the_cap_per_peer_or_in_all_are_reset_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guard_module, "MAX_CONNECTIONS", 6)
    monkeypatch.setattr(guard_module, "MAX_CONNECTIONS_PER_PEER", 3)
    endpoint = PushReceiver(CATALOGUE)
    endpoint.start()
    registration = endpoint.register("101")
    registration.attach(EventJournal("101"))
    address = _address(endpoint.base_url)
    opened: list[socket.socket] = []

    def attempt(source: str, count: int) -> list[bool]:
        """Opens ``count`` connections from ``source``; whether each is still open a moment later."""
        socks: list[socket.socket | None] = []
        for _ in range(count):
            try:
                socks.append(_connect(address, source))
            except ConnectionResetError:  # reset before connect() returned: shed all the same
                socks.append(None)
        opened.extend(sock for sock in socks if sock is not None)
        time.sleep(0.5)
        return [sock is not None and not _closed(sock) for sock in socks]

    try:
        assert attempt(ATTACKER, 4) == [True, True, True, False]  # the fourth from one peer is reset
        assert attempt(SECOND_ATTACKER, 3) == [True, True, True]  # another peer has its own three
        assert attempt(THIRD_ATTACKER, 1) == [False]  # six in all
        url = endpoint.base_url + CALLBACK_PATH.format(agentid="101")
        with pytest.raises(requests.ConnectionError):
            _push(url, str(endpoint.ca_file), registration.token.value)
        for sock in opened[3:]:  # the second peer's leave (and the shed ones): room again
            sock.close()
        time.sleep(0.2)
        assert _push(url, str(endpoint.ca_file), registration.token.value).status_code == 200
    finally:
        for sock in opened:
            sock.close()
        registration.close()
        endpoint.stop()


@contextlib.contextmanager
def _endpoint_process(nofile: int) -> Iterator[tuple[subprocess.Popen[str], dict[str, Any]]]:
    """The endpoint in a process of its own whose open-files limit is ``nofile``."""
    child = subprocess.Popen([sys.executable, str(ENDPOINT), str(nofile)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        yield child, json.loads(child.stdout.readline())
        _tell(child, "stop")
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _tell(child: subprocess.Popen[str], command: str) -> dict[str, Any]:
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write(command + "\n")
    child.stdin.flush()
    return {} if command == "stop" else json.loads(child.stdout.readline())


@contextlib.contextmanager
def _open_files(needed: int) -> Iterator[None]:
    """This process's open-files limit raised to ``needed`` for the attack, if the hard limit allows."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < needed:
        if hard != resource.RLIM_INFINITY and hard < needed:
            pytest.skip(f"the open-files limit ({hard}) is below the {needed} the attack needs")
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))


def test_a_real_push_is_recorded_while_1000_idle_connections_are_attempted() -> None:
    attempted, halfway, idle = 1000, threading.Event(), []

    def attack(address: tuple[str, int]) -> None:
        for n in range(attempted):
            sock = socket.socket()
            sock.setblocking(False)
            sock.bind((ATTACKER, 0))
            sock.connect_ex(address)  # not waited for: a flood does not wait either
            idle.append(sock)
            if n == attempted // 2:
                halfway.set()

    with _open_files(attempted + 200), _endpoint_process(512) as (child, endpoint):
        attacker = threading.Thread(target=attack, args=(_address(endpoint["url"]),))
        attacker.start()
        try:
            assert halfway.wait(30)
            attacker.join(30)
            time.sleep(1)  # the connections reach the endpoint and are held there
            reply = _push(endpoint["url"], endpoint["ca_file"], endpoint["token"])
            assert reply.status_code == 200
            report = _tell(child, "report")
            # The attacker holds no more than its share; what comes beyond it is reset as it reaches the endpoint
            # (how many have reached it by now depends on the kernel's handling of a full accept queue).
            assert report["open"] <= endpoint["caps"][1] + 1  # and the real push's, if still open
            assert report["shed"] >= attempted // 10
            assert report["events"] == ["AgentState_Ready"]
            assert report["logged"] == []  # neither a flood of errors nor a warning: the caps kept it in bounds
        finally:
            attacker.join(30)
            for sock in idle:
                sock.close()


def test_running_out_of_file_descriptors_is_logged_once_and_recovered_from() -> None:
    with _endpoint_process(128) as (child, endpoint):
        assert _tell(child, "exhaust")["held"] > 0
        outcome: list[Any] = []
        pusher = threading.Thread(target=lambda: outcome.append(_push(endpoint["url"], endpoint["ca_file"],
                                                                      endpoint["token"])))
        pusher.start()  # its connection waits in the backlog while every accept fails
        time.sleep(3.5)  # asyncio retries the accept every second: several failures, one warning
        _tell(child, "free")
        pusher.join(15)
        assert outcome and outcome[0].status_code == 200
        report = _tell(child, "report")
        assert report["events"] == ["AgentState_Ready"]
        assert len(report["logged"]) == 1, report["logged"]
        assert "out of file descriptors" in report["logged"][0] and "ulimit -n" in report["logged"][0]
