"""One HTTPS session to the gateway for one signed-in agent.

The session owns what RequestsLibrary keeps on the library: base URL, TLS trust, connect and read
timeouts, the Guid (and its rotation in dynamic auth) and cookies. It retries only when a connection
could not be opened, because a request that may have reached the gateway must never be sent twice.
"""

from __future__ import annotations

import contextlib
import heapq
import http.client
import itertools
import os
import re
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

import requests
from requests.adapters import HTTPAdapter
from robot.api.types import Secret
from urllib3.connection import HTTPSConnection
from urllib3.connectionpool import HTTPSConnectionPool
from urllib3.exceptions import ReadTimeoutError
from urllib3.util.retry import Retry

from ..errors import TransportError
from .redaction import DEFAULT_POLICY, MAX_JSON_DEPTH, SESSION_COOKIE, RedactionPolicy, json_depth


class SecretSink(Protocol):
    """Where the transport registers a secret it learns (a new Guid) before anything can log it: the library's
    SecretRegistry, which itself builds on this package's redaction, so it is named here by what it does."""

    def register(self, value: str | Secret | None) -> None: ...

CONTENT_TYPE = "application/json; charset=UTF-8"
FILE_STREAM = "application/octet-stream"  # how the gateway sends a downloaded file
# How long a request refused for its Guid waits for replies still being read to bring a new one. The reply that
# rotated the Guid has left the gateway by then; this only covers thread scheduling on a loaded machine.
GUID_RACE_WAIT = 2.0
# Visible ASCII, space and tab: anything else in a header value (CR, LF, NUL) would split or corrupt it.
HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")


class _Watch:
    """The deadline of one request: when it passes, the connection is shut down under the reading thread.

    A read timeout only bounds the wait for each chunk, so a gateway that trickles a byte per second could
    hold a keyword for ever; this bounds the whole exchange.
    """

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False  # the deadline passed
        self.cut = False  # ... and a connection was shut down because of it
        self.done = False  # the request finished; the watchdog forgets it
        self._lock = threading.Lock()
        self._connection: HTTPSConnection | None = None
        self._sock: socket.socket | None = None

    def __enter__(self) -> _Watch:
        _current.watch = self
        _WATCHDOG.watch(self)
        return self

    def __exit__(self, *exc: object) -> None:
        _current.watch = None
        with self._lock:
            self.done = True
            self._connection = self._sock = None  # the watchdog may hold this watch until its deadline

    def attach(self, connection: HTTPSConnection) -> None:
        with self._lock:
            self._connection = connection
            # Kept apart: http.client drops connection.sock once the headers say "Connection: close", while the
            # body is still being read from that socket.
            self._sock = getattr(connection, "sock", None) or self._sock
            if self.expired and not self.done:  # connected (after a retry) only once the deadline had passed
                self._shut()

    def _expire(self) -> None:
        with self._lock:
            if self.done:
                return
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        sock = getattr(self._connection, "sock", None) or self._sock
        if sock is not None:
            self.cut = True
            # socket.socket's own shutdown: SSLSocket's would drop its SSL object under the reading thread.
            with contextlib.suppress(OSError):
                socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _Watchdog:
    """One thread keeps every request's deadline: starting a timer thread per request cost about as much as
    the request itself (bench/keyword_cost.py)."""

    def __init__(self) -> None:
        self._wake = threading.Condition()
        self._due: list[tuple[float, int, _Watch]] = []
        self._order = itertools.count()  # ties on the deadline never compare two watches
        self._thread: threading.Thread | None = None

    def watch(self, watch: _Watch) -> None:
        entry = (time.monotonic() + watch.seconds, next(self._order), watch)
        with self._wake:
            heapq.heappush(self._due, entry)
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="ccgw-deadlines", daemon=True)
                self._thread.start()
            elif self._due[0] is entry:  # sooner than what the thread sleeps towards
                self._wake.notify()

    def _run(self) -> None:
        with self._wake:
            while True:
                while self._due and self._due[0][2].done:
                    heapq.heappop(self._due)
                if not self._due:
                    self._wake.wait()
                    continue
                delay = self._due[0][0] - time.monotonic()
                if delay > 0:
                    self._wake.wait(delay)
                    continue
                heapq.heappop(self._due)[2]._expire()


_WATCHDOG = _Watchdog()

_current = threading.local()


class _WatchedConnection(HTTPSConnection):
    def request(self, *args: Any, **kwargs: Any) -> None:
        watch = getattr(_current, "watch", None)
        if watch is not None:
            watch.attach(self)  # before: the deadline may pass while connecting
        super().request(*args, **kwargs)
        if watch is not None:
            watch.attach(self)  # after: the socket now exists


class _WatchedPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedAdapter(HTTPAdapter):
    """Connections whose replies a `_Watch` can cut, also through a proxy."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        _watch_pools(self.poolmanager)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        _watch_pools(manager)
        return manager


def _watch_pools(manager: Any) -> None:
    manager.pool_classes_by_scheme = {**manager.pool_classes_by_scheme, "https": _WatchedPool}


class GuidHolder:
    """The agent's current Guid, shared by the command and the polling session."""

    def __init__(self, secrets: SecretSink) -> None:
        self._secrets = secrets
        self._guid: Secret | None = None
        self._lock = threading.Lock()
        self._settled = threading.Condition(self._lock)
        self._in_flight: set[int] = set()
        self._tickets = itertools.count()
        self.changes = 0

    @property
    def guid(self) -> Secret | None:
        with self._lock:
            return self._guid

    def take_from(self, headers: Any) -> bool:
        """Adopt the Guid of a ``Set-GUID: JSESSIONID=<guid>`` header; True when it changed."""
        header = headers.get("Set-GUID")
        match = SESSION_COOKIE.search(header) if header else None
        if not match:
            return False
        return self.adopt(match.group(1))

    def adopt(self, value: str) -> bool:
        """Use ``value`` as the Guid from now on (from a header or a reply such as updateGuid's); True when it
        changed."""
        self._secrets.register(value)  # before anything can log it
        with self._lock:
            if self._guid is not None and self._guid.value == value:
                return False
            self._guid = Secret(value)
            self.changes += 1
            self._settled.notify_all()
            return True

    def begin(self) -> int:
        """A request carrying (or able to replace) this Guid leaves; `end` it once its reply has been read."""
        with self._lock:
            ticket = next(self._tickets)
            self._in_flight.add(ticket)
            return ticket

    def end(self, ticket: int) -> None:
        with self._lock:
            self._in_flight.discard(ticket)
            self._settled.notify_all()

    def replaced(self, sent: str, wait: float = 0.0) -> bool:
        """Whether the Guid is no longer ``sent``. While replies to requests that were on their way at the call
        are still unread, waits up to ``wait`` seconds for one of them to replace it: the gateway may answer
        the poll that rotated the Guid before a command, and the command's reply still be read first."""
        deadline = time.monotonic() + wait
        with self._settled:
            pending = set(self._in_flight)
            while True:
                if self._guid is not None and self._guid.value != sent:
                    return True
                pending &= self._in_flight
                remaining = deadline - time.monotonic()
                if self._guid is None or not pending or remaining <= 0:
                    return False
                self._settled.wait(remaining)

    def clear(self) -> None:
        with self._lock:
            self._guid = None


@dataclass
class Exchange:
    """One request and its reply, with everything needed to log it safely."""

    method: str
    url: str
    status: int
    reason: str
    request_headers: dict[str, str]
    request_body: Any
    response_headers: dict[str, str]
    text: str
    elapsed_ms: float
    guid_changed: bool = False
    json: Any = field(default=None)
    not_json: str | None = None  # why a non-empty body was not taken as JSON
    policy: RedactionPolicy = DEFAULT_POLICY
    content: bytes = b""  # the body as received: a download's file

    @property
    def content_type(self) -> str:
        return next((value for name, value in self.response_headers.items() if name.lower() == "content-type"), "")

    @property
    def is_file(self) -> bool:
        """The body is a file stream (a download's success), not a reply."""
        return self.content_type.split(";")[0].strip().lower() == FILE_STREAM

    @property
    def is_json(self) -> bool:
        return self.json is not None

    def redacted_request(self) -> dict[str, Any]:
        body = self.request_body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        body = self.policy.redact_text(body) if isinstance(body, str) else self.policy.redact_json(body)
        return {"headers": self.policy.redact_headers(self.request_headers), "body": body}

    def redacted_response(self) -> dict[str, Any]:
        if self.is_file:  # bytes of a recording: personal data, and unreadable in a log anyway
            return {"headers": self.policy.redact_headers(self.response_headers),
                    "body": f"({len(self.content)} bytes of {self.content_type})"}
        body = self.policy.redact_json(self.json) if self.is_json else self.policy.redact_text(self.text)
        return {"headers": self.policy.redact_headers(self.response_headers), "body": body}


def guid_replaced_in_flight(exchange: Exchange, session: GatewaySession, refusals: frozenset[str],
                            wait: float = GUID_RACE_WAIT) -> bool:
    """The gateway refused the Guid ``exchange`` carried (one of ``refusals``), and another reply has replaced
    the ``session``'s Guid since (or does so within ``wait`` seconds, while such replies are still being read):
    the gateway did nothing, so sending again with the new Guid is safe."""
    sent = exchange.request_headers.get("Guid")
    reply = exchange.json if isinstance(exchange.json, dict) else {}
    if sent is None or str(reply.get("retcode")) not in refusals:
        return False
    return session.guid.replaced(sent, wait)


class GatewaySession:
    def __init__(
        self,
        base_url: str,
        *,
        verify: bool | str = True,
        connect_timeout: float = 5.0,
        read_timeout: float = 10.0,
        guid: GuidHolder,
        connect_retries: int = 2,
        policy: RedactionPolicy = DEFAULT_POLICY,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        # Host and port only: a URL's user-info must never reach a message.
        self.host = urlsplit(self.base_url).netloc.rpartition("@")[2]
        self.verify = verify
        self.connect_timeout = connect_timeout
        self.read_timeout = read_timeout
        self.guid = guid
        self.policy = policy
        self._connect_retries = connect_retries
        self._http = requests.Session()
        # The environment is read once, here: requests would read it on every request (a quarter of its cost),
        # and its REQUESTS_CA_BUNDLE would replace the verify setting. Proxies and NO_PROXY still apply.
        self._http.trust_env = False
        if verify is True:  # no CA file given: requests' own choice, which the environment may name
            verify = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        self._send_settings: dict[str, Any] = {"verify": verify, "stream": False, "cert": None,
                                               "proxies": requests.utils.get_environ_proxies(self.base_url)}
        # Connection errors only: a read error or an error status may mean the gateway acted already.
        retry = Retry(total=connect_retries, connect=connect_retries, read=0, status=0, other=0, redirect=0,
                      allowed_methods=None, backoff_factor=0.1, raise_on_status=False)
        self._http.mount("https://", _WatchedAdapter(max_retries=retry))

    def sibling(self) -> GatewaySession:
        """A second session with the same settings and Guid, e.g. for the long poll, sharing cookies."""
        twin = GatewaySession(self.base_url, verify=self.verify, connect_timeout=self.connect_timeout,
                              read_timeout=self.read_timeout, guid=self.guid, connect_retries=self._connect_retries,
                              policy=self.policy)
        twin._http.cookies = self._http.cookies
        return twin

    def send(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str] | None = None,
        body: Any = None,
        send_guid: bool | Secret = True,
        headers: dict[str, str] | None = None,
        read_timeout: float | None = None,
    ) -> Exchange:
        request_headers = {"Content-Type": CONTENT_TYPE}
        guid = self.guid.guid if send_guid is True else send_guid or None
        if guid is not None:
            request_headers["Guid"] = guid.value
        request_headers.update(headers or {})
        where = f"{method} {path} at {self.host}"
        for name, value in request_headers.items():
            if not HEADER_VALUE.fullmatch(value):
                raise TransportError(f"{where}: not sent, the {name} header's value holds a line break, control or "
                                     "non-ASCII character.")
        url = self.base_url + path
        wait = read_timeout or self.read_timeout
        started = time.perf_counter()
        # Bytes are sent as they are (negative tests with malformed bodies); anything else as JSON.
        payload = {"data": body} if isinstance(body, bytes) else {"json": body}
        ticket = self.guid.begin()
        try:
            return self._send_watched(method, path, url, query, payload, request_headers, body, where, wait, started)
        finally:
            self.guid.end(ticket)  # after any Set-GUID of the reply was taken over

    def _send_watched(self, method: str, path: str, url: str, query: dict[str, Any] | None, payload: dict[str, Any],
                      request_headers: dict[str, str], body: Any, where: str, wait: float,
                      started: float) -> Exchange:
        with _Watch(self.connect_timeout + wait) as watch:
            try:
                # Prepared without Session.prepare_request, which merges settings this session never sets
                # (auth, params, hooks) at a third of the request's own cost; its headers and cookies still go.
                prepared = requests.Request(method, url, params=query or None, cookies=self._http.cookies,
                                            headers={**self._http.headers, **request_headers}, **payload).prepare()
                # requests decodes %2E back to "."; keep the path exactly as the catalogue quoted it, so a
                # segment such as ".." cannot turn into another path that receives the Guid.
                prepared.url = urlunsplit(urlsplit(str(prepared.url))._replace(path=urlsplit(url).path))
                # Redirects are not followed: requests would carry the Guid and the body to wherever they point.
                response = self._http.send(prepared, timeout=(self.connect_timeout, wait), allow_redirects=False,
                                           **self._send_settings)
            except requests.exceptions.SSLError as error:
                if watch.cut:
                    raise TransportError(f"{where}: the TLS handshake did not finish within "
                                         f"{self.connect_timeout + wait:g} s.") from None
                if isinstance(_innermost(error), TimeoutError):
                    raise TransportError(f"{where}: the TLS handshake did not finish within "
                                         f"{self.connect_timeout:g} s.") from None
                raise TransportError(f"{where}: TLS verification failed ({_reason(error)}). Trust the gateway's "
                                     "CA with ca_bundle=<file>.") from None
            except (requests.exceptions.RequestException, OSError) as error:
                if watch.cut:
                    raise TransportError(f"{where}: no complete reply within {self.connect_timeout + wait:g} s "
                                         f"({self.connect_timeout:g} s to connect + {wait:g} s to answer): the "
                                         "gateway kept the connection open but answered too slowly.",
                                         reached_gateway=True) from None
                raise TransportError(f"{where}: {self._failure(error, wait)}.",
                                     reached_gateway=_reached_gateway(error)) from None
            except (TypeError, ValueError, RecursionError) as error:  # a body that JSON cannot encode
                raise TransportError(f"{where}: not sent, the body cannot be written as JSON ({error}).") from None
        elapsed = (time.perf_counter() - started) * 1000
        changed = self.guid.take_from(response.headers)
        exchange = Exchange(method, url, response.status_code, response.reason or "", request_headers, body,
                            dict(response.headers), "", elapsed, changed, policy=self.policy, content=response.content)
        if exchange.is_file:  # kept as bytes: read as text, a recording would only be garbled
            exchange.not_json = f"a file of {len(exchange.content)} bytes ({exchange.content_type})"
        else:
            exchange.text = response.text
            exchange.json, exchange.not_json = _parse(response)
        return exchange

    def _failure(self, error: BaseException, wait: float) -> str:
        """What went wrong, in words, for a request that got no usable reply."""
        cause = _innermost(error)
        if isinstance(error, requests.exceptions.InvalidJSONError):
            return f"not sent, the body cannot be written as JSON ({_reason(error)})"
        if isinstance(error, requests.exceptions.ConnectTimeout):
            return f"could not connect within {self.connect_timeout:g} s ({_reason(error)})"
        if isinstance(cause, TimeoutError) and "handshake" in str(cause):
            return f"the TLS handshake did not finish within {self.connect_timeout:g} s"
        if isinstance(error, requests.exceptions.Timeout) or _is_read_timeout(error) or isinstance(cause, TimeoutError):
            return f"no reply within {wait:g} s"
        if isinstance(cause, http.client.RemoteDisconnected):
            return "the gateway closed the connection without a reply"
        if isinstance(cause, http.client.BadStatusLine):
            return f"the gateway's reply is not HTTP (it began {str(cause)[:40]!r})"
        if isinstance(cause, http.client.HTTPException):
            return f"the gateway's reply is malformed HTTP ({type(cause).__name__}: {str(cause)[:80]})"
        if isinstance(error, requests.exceptions.ConnectionError):
            return f"cannot reach the gateway or the connection broke: {_reason(error)}"
        return _reason(error)

    def close(self) -> None:
        self._http.close()


def _reached_gateway(error: BaseException) -> bool:
    """Whether the request may have arrived and been carried out though no usable reply came back."""
    if isinstance(error, requests.exceptions.ConnectTimeout | requests.exceptions.InvalidJSONError):
        return False
    cause = _innermost(error)
    return not (isinstance(cause, ConnectionRefusedError | socket.gaierror) or "NewConnectionError" in repr(error))


def _parse(response: requests.Response) -> tuple[Any, str | None]:
    """The reply's JSON document, or None and why not."""
    if not response.content:
        return None, None
    try:
        document = response.json()
    except RecursionError:
        return None, f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
    except ValueError:
        return None, "not JSON"
    if json_depth(document) > MAX_JSON_DEPTH:
        return None, f"JSON nested more than {MAX_JSON_DEPTH} levels deep"
    return document, None


def _is_read_timeout(error: BaseException) -> bool:
    # With read retries off, urllib3 reports a read timeout as a connection error.
    return isinstance(getattr(error.args[0] if error.args else None, "reason", None), ReadTimeoutError)


def _innermost(error: BaseException) -> BaseException:
    """The root cause, following ``__cause__`` and exceptions wrapped in ``args`` (as urllib3 wraps them)."""
    cause, seen = error, set()
    while id(cause) not in seen:
        seen.add(id(cause))
        reason = getattr(cause, "reason", None)  # urllib3's MaxRetryError keeps its cause there
        inner = cause.__cause__ or (reason if isinstance(reason, BaseException) else None) or next(
            (arg for arg in cause.args if isinstance(arg, BaseException)), None)
        if inner is None:
            break
        cause = inner
    return cause


def _reason(error: BaseException) -> str:
    """The innermost cause's text; never the request, so no header value can leak."""
    return str(_innermost(error))
