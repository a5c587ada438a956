"""A deliberately misbehaving CC-Gateway for tests: HTTPS on a free loopback port, scripted per interface.

The server speaks just enough HTTP/1.1 over raw TLS sockets to give byte-level control over the reply: it
can answer well, answer garbage, stall, trickle one byte a second, or drop the connection at any point.

What it answers is decided per request by a *behaviour*: a function ``(connection, request) -> bool`` that
writes (or does not write) a reply and returns True to keep the connection open for the next request.
Every catalogue interface has a default behaviour (a valid reply; the event poll holds ~1 s and answers an
empty poll); a test replaces it for the next requests with :meth:`HostileGateway.script`::

    gateway.script("sayFree", html_502())                        # next sayFree only, then the default again
    gateway.script("getAgentEvent", not_json(), poll_reply(ev))  # the next two polls, in order
    gateway.script("login", login_ok(set_guid=False), then=login_ok(set_guid=False))  # every sign-in from now

A new fault is a new behaviour factory: write bytes with ``connection.send``, wait with ``connection.pause``
(it returns False when the gateway stops, so a behaviour never outlives the test), and return False when
the connection must not be reused. ``Certificates`` makes the TLS material: a trusted CA (its PEM file is
what the client trusts), a second CA nobody trusts, and a certificate for another host name.
"""

from __future__ import annotations

import contextlib
import html
import itertools
import json
import re
import select
import socket
import ssl
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

import trustme

INTERFACES_FILE = Path(__file__).resolve().parents[1] / "CCGatewayLibrary" / "catalogue" / "interfaces.json"
HOSTNAMES = ("127.0.0.1", "localhost")
OTHER_HOSTNAME = "gateway.example.com"
JSON_TYPE = "application/json;charset=UTF-8"
DEFAULT_GUID = "3b241101-e2bb-4255-8caf-4136c566a962.AgentGateway0"
POLL_HOLD = 1.0
MAX_HEAD = 64 * 1024
TLS_KINDS = ("trusted", "untrusted", "wrong-host")


# ------------------------------------------------------------------------------------------ TLS material


class Certificates:
    """A trusted CA written to ``ca_file``, a second CA nobody trusts, and server contexts made from them.

    ``server_context("trusted")`` is a certificate for 127.0.0.1/localhost from the trusted CA,
    ``"untrusted"`` the same names from the other CA, ``"wrong-host"`` the trusted CA for another host name.
    """

    def __init__(self, directory: Path) -> None:
        self.ca = trustme.CA(organization_name="hostile gateway test CA")
        self.other_ca = trustme.CA(organization_name="a CA nobody trusts")
        directory.mkdir(parents=True, exist_ok=True)
        self.ca_file = directory / "hostile-ca.pem"
        self.ca.cert_pem.write_to_path(str(self.ca_file))
        self._leaves: dict[str, trustme.LeafCert] = {}

    def leaf(self, kind: str = "trusted") -> trustme.LeafCert:
        if kind not in TLS_KINDS:
            raise ValueError(f"TLS kind must be one of {TLS_KINDS}, not {kind!r}")
        if kind not in self._leaves:
            if kind == "trusted":
                self._leaves[kind] = self.ca.issue_cert(*HOSTNAMES)
            elif kind == "untrusted":
                self._leaves[kind] = self.other_ca.issue_cert(*HOSTNAMES)
            else:
                self._leaves[kind] = self.ca.issue_cert(OTHER_HOSTNAME)
        return self._leaves[kind]

    def server_context(self, kind: str = "trusted") -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.leaf(kind).configure_cert(context)
        return context

    def client_context(self) -> ssl.SSLContext:
        """What a well-behaved client uses: trusts only the test CA, checks host names."""
        return ssl.create_default_context(cafile=str(self.ca_file))


# ------------------------------------------------------------------------------------------ requests


@dataclass
class Request:
    method: str
    path: str
    query: str
    headers: dict[str, str]  # names in lower case
    body: bytes
    interface: str | None = None
    params: dict[str, str] = field(default_factory=dict)  # path parameters, e.g. {"agentid": "101"}
    received: float = field(default_factory=time.monotonic)

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None

    @property
    def agent_id(self) -> str:
        return self.params.get("agentid", "")

    def raw(self) -> str:
        """The request as a careless error page echoes it: request line, body, then the secret-bearing headers
        and the rest (so the secrets come within the first few hundred characters)."""
        lines = [f"{self.method} {self.path}{'?' + self.query if self.query else ''} HTTP/1.1",
                 f"body: {self.body.decode('utf-8', 'replace')}"]
        first = ("guid", "cookie")
        lines += [f"{name}: {self.headers[name]}" for name in first if name in self.headers]
        lines += [f"{name}: {value}" for name, value in self.headers.items() if name not in first]
        return "\n".join(lines)


class Connection:
    """The server side of one TLS connection, as a behaviour sees it."""

    def __init__(self, sock: ssl.SSLSocket, gateway: HostileGateway) -> None:
        self.sock = sock
        self.gateway = gateway
        self.bytes_sent = 0
        self.closed = False
        self._buffer = b""
        self._lock = threading.Lock()

    @property
    def stopping(self) -> bool:
        return self.gateway.stopping.is_set()

    def send(self, data: bytes) -> bool:
        """Write ``data``; False when the client has gone or the gateway stops."""
        if self.stopping or self.closed:
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        self.bytes_sent += len(data)
        return True

    def pause(self, seconds: float) -> bool:
        """Wait ``seconds``; False when the gateway stops meanwhile."""
        return not self.gateway.stopping.wait(seconds)

    def trickle(self, data: Iterable[int], interval: float) -> bool:
        """Send ``data`` one byte every ``interval`` seconds until it ends, the client goes or the gateway stops."""
        return all(self.send(bytes([byte])) and self.pause(interval) for byte in data)

    def reset(self) -> None:
        """Drop the connection with a TCP RST (SO_LINGER 0), without a TLS close_notify.

        Over TLS with OpenSSL 3 the client reads an RST like an end of file, so it cannot tell it from
        ``close()``; only a client still sending sees "connection reset".
        """
        with self._lock:
            if self.closed:
                return
            self.closed = True
            with contextlib.suppress(OSError):
                self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.sock.close()

    def close(self) -> None:
        """Close the connection (TCP FIN) without a TLS close_notify."""
        with self._lock:
            if self.closed:
                return
            self.closed = True
            self.sock.close()

    def abort(self) -> None:
        """Unblock whatever the serving thread is doing (used when the gateway stops)."""
        with self._lock:
            if self.closed:
                return
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
        self.reset()

    def read_request(self) -> Request | None:
        """The next request, or None when the client closed the connection or the gateway stops."""
        while b"\r\n\r\n" not in self._buffer:
            chunk = self._recv()
            if not chunk or len(self._buffer) + len(chunk) > MAX_HEAD:
                return None
            self._buffer += chunk
        head, _, rest = self._buffer.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length") or 0)
        while len(rest) < length:
            chunk = self._recv()
            if not chunk:
                return None
            rest += chunk
        body, self._buffer = rest[:length], rest[length:]
        path, _, query = target.partition("?")
        return Request(method, path, query, headers, body)

    def _recv(self) -> bytes:
        while not self.stopping and not self.closed:
            try:
                if self.sock.pending() == 0:
                    ready, _, _ = select.select([self.sock], [], [], 0.2)
                    if not ready:
                        continue
                return self.sock.recv(65536)
            except (OSError, ValueError):
                return b""
        return b""


Behaviour = Callable[[Connection, Request], bool]


# ------------------------------------------------------------------------------------------ replies


def http_reply(status: int, body: bytes = b"", *, reason: str | None = None, content_type: str | None = JSON_TYPE,
               headers: dict[str, str] | None = None, keep_alive: bool = True,
               content_length: int | None = None) -> bytes:
    """The bytes of a whole HTTP/1.1 reply."""
    if reason is None:
        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Unknown"
    lines = [f"HTTP/1.1 {status} {reason}", "Server: hostile-gateway"]
    if content_type:
        lines.append(f"Content-Type: {content_type}")
    lines.append(f"Content-Length: {len(body) if content_length is None else content_length}")
    lines.append(f"Connection: {'keep-alive' if keep_alive else 'close'}")
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _bytes(body: bytes | str) -> bytes:
    return body if isinstance(body, bytes) else body.encode("utf-8")


def respond(status: int = 200, body: bytes | str | Callable[[Request], bytes | str] = b"", *,
            reason: str | None = None, content_type: str | None = JSON_TYPE,
            headers: dict[str, str] | None = None, keep_alive: bool = True) -> Behaviour:
    """A complete reply; ``body`` may be a function of the request."""

    def behaviour(connection: Connection, request: Request) -> bool:
        data = _bytes(body(request) if callable(body) else body)
        sent = connection.send(http_reply(status, data, reason=reason, content_type=content_type, headers=headers,
                                          keep_alive=keep_alive))
        return sent and keep_alive

    return behaviour


def json_reply(document: Any, status: int = 200, *, headers: dict[str, str] | None = None) -> Behaviour:
    """A JSON reply; ``document`` may be a function of the request."""

    def body(request: Request) -> str:
        return json.dumps(document(request) if callable(document) else document)

    return respond(status, body, headers=headers)


def html_502(*, echo_request: bool = False) -> Behaviour:
    """A reverse proxy's HTML error page; with ``echo_request`` it quotes the request (headers and body)."""

    def body(request: Request) -> str:
        echoed = f"<pre>{html.escape(request.raw())}</pre>" if echo_request else ""
        return ("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1>"
                f"</center>{echoed}<hr><center>nginx</center></body></html>")

    return respond(502, body, content_type="text/html")


def empty(status: int = 200) -> Behaviour:
    """A reply without a body (Content-Length: 0), claiming to be JSON."""
    return respond(status, b"")


def not_json(text: str = "OK <b>request accepted</b>") -> Behaviour:
    """Status 200 and a body that is not JSON, although the Content-Type says it is."""
    return respond(200, text)


def deeply_nested(levels: int = 100_000) -> Behaviour:
    """Valid JSON nested ``levels`` deep: ``[[[...]]]``."""
    return respond(200, "[" * levels + "]" * levels)


def raw_bytes(data: bytes) -> Behaviour:
    """Send ``data`` as the whole reply, whatever it is, then close the connection."""

    def behaviour(connection: Connection, request: Request) -> bool:
        connection.send(data)
        connection.close()
        return False

    return behaviour


def reset_connection() -> Behaviour:
    """Read the request, then drop the connection with a TCP RST and no reply."""

    def behaviour(connection: Connection, request: Request) -> bool:
        connection.reset()
        return False

    return behaviour


def close_connection() -> Behaviour:
    """Read the request, then close the connection cleanly (FIN) without a reply."""

    def behaviour(connection: Connection, request: Request) -> bool:
        connection.close()
        return False

    return behaviour


def reset_mid_reply() -> Behaviour:
    """Send the status line, headers promising 400 bytes and 30 of them, then a TCP RST."""

    def behaviour(connection: Connection, request: Request) -> bool:
        body = json.dumps({"message": "success", "retcode": "0", "result": {}}).encode()
        connection.send(http_reply(200, body[:30], content_length=400))
        connection.pause(0.2)
        connection.reset()
        return False

    return behaviour


def trickle_headers(interval: float = 1.0) -> Behaviour:
    """One byte every ``interval`` seconds, from the status line on, in a header that never ends."""

    def behaviour(connection: Connection, request: Request) -> bool:
        start = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Trickle: "
        connection.trickle(itertools.chain(start, itertools.repeat(ord("a"))), interval)
        return False

    return behaviour


def trickle_body(interval: float = 1.0) -> Behaviour:
    """The headers at once (Content-Length: 1000000), then the body one byte every ``interval`` seconds."""

    def behaviour(connection: Connection, request: Request) -> bool:
        if not connection.send(http_reply(200, b"", content_length=1_000_000)):
            return False
        start = b'{"message": "success", "retcode": "0", "result": {}, "padding": "'
        connection.trickle(itertools.chain(start, itertools.repeat(ord(" "))), interval)
        return False

    return behaviour


def slow(seconds: float, then: Behaviour) -> Behaviour:
    """Hold the request ``seconds``, then behave as ``then``."""

    def behaviour(connection: Connection, request: Request) -> bool:
        return connection.pause(seconds) and then(connection, request)

    return behaviour


# ------------------------------------------------------------------------------------------ gateway replies


def envelope(retcode: str = "0", message: str = "success", **fields: Any) -> dict[str, Any]:
    return {"message": message, "retcode": retcode, **fields}


def login_result(agent_id: str) -> dict[str, Any]:
    """A sign-in result shaped like the simulator's and the documented example."""
    return {"vdnid": 1, "workno": agent_id, "mediatype": "TFF", "loginTime": str(int(time.time() * 1000)),
            "isForceChange": "false", "serverName": "AgentGateway0", "timeRemaining": ""}


def login_ok(guid: str | None = None, *, set_guid: bool = True,
             reply: Callable[[Request], Any] | dict[str, Any] | None = None) -> Behaviour:
    """A successful sign-in with ``Set-GUID: JSESSIONID=<guid>`` (the gateway's Guid unless given).

    ``set_guid=False`` leaves the header out; ``reply`` replaces the JSON reply (e.g. to break its schema).
    """

    def behaviour(connection: Connection, request: Request) -> bool:
        headers = {"Set-GUID": f"JSESSIONID={guid or connection.gateway.guid}"} if set_guid else {}
        if reply is None:
            document: Any = envelope(result=login_result(request.agent_id))
        else:
            document = reply(request) if callable(reply) else reply
        return json_reply(document, headers=headers)(connection, request)

    return behaviour


def success(result: Any = None) -> Behaviour:
    """The acknowledgement most interfaces send: retcode 0 and an empty result."""
    return json_reply(envelope(result={} if result is None else result))


def agent_status_ok(state: int = 4) -> Behaviour:
    return json_reply(envelope(result={"agentState": state, "isWorking": False}))


def retcode_reply(retcode: str, message: str = "") -> Behaviour:
    return json_reply(envelope(retcode, message, result={}))


def agent_event(name: str, agent_id: str, content: Any = None) -> dict[str, Any]:
    return {"eventType": name, "workNo": agent_id, "content": content}


def poll_reply(event: Any, retcode: str = "0", message: str = "") -> Behaviour:
    """A poll reply carrying ``event`` as given: an event, a list of events, None, or anything else."""
    return json_reply({"message": message, "retcode": retcode, "event": event})


def poll_idle(hold: float = POLL_HOLD) -> Behaviour:
    """An empty long poll: held ``hold`` seconds, then ``{"message": "", "retcode": "0", "event": null}``."""
    return slow(hold, poll_reply(None))


def poll_retcode(retcode: str) -> Behaviour:
    return json_reply({"message": "", "retcode": retcode, "event": None})


# ------------------------------------------------------------------------------------------ the server


@dataclass
class Route:
    interface: str
    method: str
    pattern: re.Pattern[str]
    default: Behaviour
    queue: deque[Behaviour] = field(default_factory=deque)


def _path_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>[^/]+)" for i, part in enumerate(parts))
    return re.compile(regex)


def default_behaviour(interface: str) -> Behaviour:
    if interface in ("login", "forceLogin"):
        return login_ok()
    if interface == "getAgentStatus":
        return agent_status_ok()
    if interface == "getAgentEvent":
        return poll_idle()
    return success()


class HostileGateway:
    """The scripted gateway. Use as a context manager, or ``start()`` and ``stop()``."""

    def __init__(self, context: ssl.SSLContext, *, guid: str = DEFAULT_GUID, host: str = "127.0.0.1") -> None:
        self.context = context
        self.guid = guid
        self.stopping = threading.Event()
        self.requests: list[Request] = []
        self.tls_failures: list[str] = []
        self._lock = threading.Lock()
        self._connections: set[Connection] = set()
        self._threads: list[threading.Thread] = []
        self._listener = socket.create_server((host, 0))
        self._listener.settimeout(0.1)
        self.port: int = self._listener.getsockname()[1]
        self.host = f"{host}:{self.port}"
        self.url = f"https://{self.host}"
        base_path = json.loads(INTERFACES_FILE.read_text(encoding="utf-8"))["base_path"]
        entries = {name: entry for file in sorted((INTERFACES_FILE.parent / "chapters").glob("*.json"))
                   for name, entry in json.loads(file.read_text(encoding="utf-8"))["interfaces"].items()}
        self.routes: dict[str, Route] = {  # catalogue paths are relative to its base path
            name: Route(name, entry["method"], _path_pattern(base_path + entry["path"]), default_behaviour(name))
            for name, entry in entries.items()
        }
        self.unknown: Behaviour = json_reply({"message": "no such resource", "retcode": "404"}, status=404)

    # -- scripting ---------------------------------------------------------------------------------
    def script(self, interface: str, *behaviours: Behaviour, then: Behaviour | None = None) -> None:
        """Answer the next requests to ``interface`` with ``behaviours`` in order; afterwards with ``then``
        (when given, it becomes the interface's default from now on)."""
        route = self.routes[interface]
        with self._lock:
            route.queue.extend(behaviours)
            if then is not None:
                route.default = then

    def requests_to(self, interface: str) -> list[Request]:
        with self._lock:
            return [r for r in self.requests if r.interface == interface]

    def wait_for_requests(self, interface: str, count: int, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while len(self.requests_to(interface)) < count:
            if time.monotonic() > deadline:
                return False
            time.sleep(0.02)
        return True

    def _behaviour_for(self, request: Request) -> Behaviour:
        with self._lock:
            self.requests.append(request)
            for route in self.routes.values():
                match = route.pattern.fullmatch(request.path)
                if match and route.method == request.method:
                    request.interface, request.params = route.interface, match.groupdict()
                    return route.queue.popleft() if route.queue else route.default
        return self.unknown

    # -- serving -----------------------------------------------------------------------------------
    def start(self) -> HostileGateway:
        self._spawn(self._accept, "hostile-gateway")
        return self

    def stop(self) -> None:
        self.stopping.set()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:
            connection.abort()
        for thread in list(self._threads):
            thread.join(2.0)
        self._listener.close()

    def __enter__(self) -> HostileGateway:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept(self) -> None:
        while not self.stopping.is_set():
            try:
                raw, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, "hostile-gateway-connection", raw)

    def _serve(self, raw: socket.socket) -> None:
        raw.settimeout(5.0)
        try:
            sock = self.context.wrap_socket(raw, server_side=True)
        except (OSError, ssl.SSLError) as error:
            self.tls_failures.append(str(error))
            raw.close()
            return
        sock.settimeout(None)
        connection = Connection(sock, self)
        with self._lock:
            self._connections.add(connection)
        try:
            while not self.stopping.is_set():
                request = connection.read_request()
                if request is None or not self._behaviour_for(request)(connection, request):
                    break
        except OSError:
            pass
        finally:
            connection.close()
            with self._lock:
                self._connections.discard(connection)
