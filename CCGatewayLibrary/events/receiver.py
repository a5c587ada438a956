"""The library's HTTPS endpoint for pushed events: one per library instance, one path per agent.

It runs aiohttp on its own event loop in a background thread. Its certificate is issued with trustme from a CA
the library is given (``push_ca``: a PEM file with the CA's certificate and private key, the CA a real gateway
already trusts) or, without one, from a throw-away CA made at start, whose certificate is written to
`PushReceiver.ca_file` for whoever must trust it (the embedded simulator does so by itself).

A push is taken only with the service token of a current sign-in of the agent (compared in constant time);
anything else gets HTTP 401, never its events, and is counted in the agent's journal (one note for all of them,
quoting the last few), unless the token is that of a sign-in that has ended: such a late push is refused quietly.
The body must match the push envelope's schema; the events go to the same journal as polled ones would.
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import json
import re
import socket
import ssl
import sys
import tempfile
import threading
from collections import OrderedDict
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from ..catalogue import PUSH_BODY_SCHEMA, Catalogue, gateway
from ..catalogue.gateway import PUSH_ACK
from ..errors import CCGatewayError
from ..transport.redaction import MAX_JSON_DEPTH, json_depth
from .guard import BODY_TIMEOUT, IDLE_TIMEOUT, LINGERING_TIME, TLS_HANDSHAKE_TIMEOUT, ConnectionGuard, GuardedListener
from .push import PushRegistration

try:  # push mode needs the optional packages; polling does not
    import trustme
    from aiohttp import web
except ImportError as missing:  # pragma: no cover - depends on the installation
    raise CCGatewayError(f"Push mode needs the Python package '{missing.name}': pip install "
                         "'robotframework-ccgatewaylibrary[push]'.") from None

CALLBACK_PATH = "/ccgw-push/v1/agents/{agentid}/events"
MAX_CALLBACK_URI = 200  # the sign-in's callBackUri: at most 200 characters
MAX_PUSH_BODY = 1024 * 1024
BACKLOG = 128  # connections the kernel holds for accepting; the guard sheds the excess quickly
LOCAL_NAMES = ("127.0.0.1", "localhost", "::1")
TOKEN_HEADER = gateway.SERVICE_TOKEN_HEADER
# Ended sign-ins (of all agents) whose tokens are still recognised, so that their late pushes are refused quietly:
# kept as 32-byte digests, at most 128 KiB, far more sign-ins than a suite ends while a gateway retries a push.
ENDED_KEPT = 4096
_PEM_BLOCK = re.compile(rb"-----BEGIN ([A-Z ]+)-----.+?-----END \1-----\r?\n?", re.DOTALL)


class _NumberTooLong(ValueError):
    """A JSON integer with more digits than Python converts (sys.get_int_max_str_digits, 4300 by default)."""


def _integer(digits: str) -> int:
    try:
        return int(digits)
    except ValueError:  # the digits are valid JSON; only their count breaks Python's limit
        raise _NumberTooLong(f"the body holds a number {len(digits.lstrip('-'))} digits long, more than the "
                             "longest number taken (a number too long); send numbers of at most "
                             f"{sys.get_int_max_str_digits()} digits") from None


def _ended_key(agent_id: str, token: str) -> bytes:
    """How an ended sign-in's token is remembered: a digest, so the set holds no token and a lookup by it says
    nothing about tokens of current sign-ins."""
    return hashlib.sha256(f"{agent_id}\0{token}".encode("utf-8", "surrogatepass")).digest()


def _issuer(push_ca: Path | None) -> trustme.CA:
    """The CA that issues the endpoint's certificate: the one given (certificate and key in one PEM file) or
    a new one."""
    if push_ca is None:
        return trustme.CA(organization_name="CCGatewayLibrary push endpoint CA")
    try:
        blocks = {match.group(1).decode(): match.group(0) for match in _PEM_BLOCK.finditer(push_ca.read_bytes())}
    except OSError as error:
        raise CCGatewayError(f"push_ca '{push_ca}' cannot be read: {error.strerror}.") from None
    certificate = blocks.get("CERTIFICATE")
    key = next((block for name, block in blocks.items() if name.endswith("PRIVATE KEY")), None)
    if certificate is None or key is None:
        raise CCGatewayError(f"push_ca '{push_ca}' must be one PEM file holding the CA's certificate and its "
                             "private key (BEGIN CERTIFICATE and BEGIN PRIVATE KEY blocks).")
    try:
        return trustme.CA.from_pem(certificate, key)
    except ValueError:
        raise CCGatewayError(f"push_ca '{push_ca}': the certificate or the private key cannot be read.") from None


def _unspecified(host: str) -> bool:
    """Whether ``host`` is a wildcard address (0.0.0.0, ::), which listens everywhere and names no one host."""
    try:
        return ipaddress.ip_address(host).is_unspecified
    except ValueError:
        return False


def _names(*hosts: str) -> tuple[str, ...]:
    """Names the certificate is issued for: the given hosts, without wildcard addresses, and the local ones."""
    return tuple(dict.fromkeys((*(host for host in hosts if not _unspecified(host)), *LOCAL_NAMES)))


class _GuardedSite(web.BaseSite):
    """Serves on a listening socket the guard made, with the TLS handshake timeout that TCPSite does not take."""

    def __init__(self, runner: web.AppRunner, sock: GuardedListener, ssl_context: ssl.SSLContext) -> None:
        super().__init__(runner, ssl_context=ssl_context)
        self._sock = sock

    @property
    def name(self) -> str:
        host, port = self._sock.getsockname()[:2]
        return f"https://{host}:{port}"

    async def start(self) -> None:
        await super().start()
        self._server = await asyncio.get_running_loop().create_server(
            # aiohttp's Server is a protocol factory, which typeshed's create_server does not know it for
            self._runner.server, sock=self._sock, ssl=self._ssl_context, backlog=self._backlog,  # type: ignore[arg-type]
            ssl_handshake_timeout=TLS_HANDSHAKE_TIMEOUT)


class PushReceiver:
    """Receives the pushes of every push-mode agent of one library instance."""

    def __init__(self, catalogue: Catalogue, *, host: str = "127.0.0.1", port: int = 0, public_url: str | None = None,
                 push_ca: Path | None = None) -> None:
        self.catalogue = catalogue
        self.host, self.port = host, port
        self._public_url = public_url.rstrip("/") if public_url else None
        self._push_ca = push_ca
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.ca_file = Path()  # set at start: the CA's certificate, never its key
        self.base_url = ""
        self.refused = 0  # pushes without a valid token or with a broken body
        self._lock = threading.Lock()
        self._registrations: dict[str, list[PushRegistration]] = {}
        self._ended: OrderedDict[bytes, None] = OrderedDict()  # digests of ended sign-ins' tokens, newest last
        self._loop: asyncio.AbstractEventLoop | None = None
        self._runner: web.AppRunner | None = None
        self.guard: ConnectionGuard | None = None  # made with the event loop, at start
        self._thread: threading.Thread | None = None

    # -- registrations ---------------------------------------------------------------------------
    def register(self, agent_id: str) -> PushRegistration:
        """A new sign-in of ``agent_id``: a fresh service token and a callback path for its pushes."""
        url = self.base_url + CALLBACK_PATH.format(agentid=quote(agent_id, safe=""))
        if len(url) > MAX_CALLBACK_URI:
            raise CCGatewayError(f"The push callback URL for agent {agent_id} is {len(url)} characters long; the "
                                 f"gateway takes at most {MAX_CALLBACK_URI} (callBackUri): give a shorter push_url.")
        registration = PushRegistration(agent_id, url, self.catalogue, on_close=self._forget)
        with self._lock:
            self._registrations.setdefault(agent_id, []).append(registration)
        return registration

    def _forget(self, registration: PushRegistration) -> None:
        with self._lock:
            current = self._registrations.get(registration.agent_id, [])
            if registration in current:
                current.remove(registration)
                # Kept a while: a late push of an ended sign-in is refused quietly, not noted as the new one's.
                self._ended[_ended_key(registration.agent_id, registration.token.value)] = None
                while len(self._ended) > ENDED_KEPT:
                    self._ended.popitem(last=False)  # the oldest: a late push is most likely from a recent one
            if not current:
                self._registrations.pop(registration.agent_id, None)

    def _match(self, agent_id: str, offered: str) -> tuple[PushRegistration | None, PushRegistration | None, bool]:
        """The registration whose token was offered (None if none), the agent's newest one, and whether the token
        was that of a sign-in that has ended."""
        with self._lock:
            candidates = list(self._registrations.get(agent_id, ()))
            ended = _ended_key(agent_id, offered) in self._ended
        given = offered.encode("utf-8", "surrogatepass")
        found = None
        for registration in candidates:  # each one compared, so the time taken does not say which came close
            if registration.token_matches(given) and found is None:
                found = registration
        return found, candidates[-1] if candidates else None, found is None and ended

    # -- the server ------------------------------------------------------------------------------
    def _app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_PUSH_BODY)
        app.router.add_post(CALLBACK_PATH, self._receive)
        return app

    async def _receive(self, request: web.Request) -> web.Response:
        if self.guard is not None and request.transport is not None:
            self.guard.request_started(request.transport.get_extra_info("peername"))
        agent_id = request.match_info["agentid"]
        registration, newest, ended = self._match(agent_id, request.headers.get(TOKEN_HEADER, ""))
        if registration is None:
            self.refused += 1
            if ended:  # a sign-in that is over: its events are not the current session's, and nothing is wrong
                return web.json_response({"message": "that sign-in has ended", "retcode": "401"}, status=401)
            if newest is None:
                return web.json_response({"message": f"no agent {agent_id[:24]} receives pushes here",
                                          "retcode": "404"}, status=404)
            peer = request.remote or "an unknown address"
            header = "without" if TOKEN_HEADER not in request.headers else "with a wrong"
            newest.refused(f"at {datetime.now():%H:%M:%S} from {peer}, {header} service_token header (HTTP 401, "
                           "its events not taken)")
            return web.json_response({"message": "service_token missing or wrong", "retcode": "401"}, status=401)
        try:
            async with asyncio.timeout(BODY_TIMEOUT):
                raw = await request.read()
        except TimeoutError:
            self.refused += 1
            registration.note(f"a push was refused (HTTP 408), so its events may be lost: its body did not arrive "
                              f"within {BODY_TIMEOUT:g} s", gap=True)
            return web.json_response({"message": f"the body did not arrive within {BODY_TIMEOUT:g} s",
                                      "retcode": "408"}, status=408, headers={"Connection": "close"})
        try:
            events = self._events(agent_id, raw)
        except ValueError as problem:
            self.refused += 1
            registration.note(f"a push was refused (HTTP 400), so its events may be lost: {problem}", gap=True)
            return web.json_response({"message": str(problem), "retcode": "400"}, status=400)
        registration.receive(events)
        return web.json_response(PUSH_ACK)

    def _events(self, agent_id: str, raw: bytes) -> list[dict[str, Any]]:
        """The events of a push body, or ValueError saying what is wrong with it."""
        try:
            body = json.loads(raw.decode("utf-8"), parse_int=_integer)
            too_deep = json_depth(body) > MAX_JSON_DEPTH
        except _NumberTooLong:
            raise
        except (UnicodeDecodeError, ValueError, RecursionError):
            raise ValueError("the body is not JSON in UTF-8") from None
        if too_deep:
            raise ValueError(f"the body is nested more than {MAX_JSON_DEPTH} levels deep")
        problem = self.catalogue.problems(PUSH_BODY_SCHEMA, body)
        if problem:
            raise ValueError(f"the body does not match the push envelope's schema: {problem[:300]}")
        if "eventList" not in body:
            raise ValueError("the body has no eventList")
        if "workNo" in body and str(body["workNo"]) != agent_id:
            raise ValueError(f"the body is for agent {str(body['workNo'])[:24]}, pushed to agent {agent_id}'s path")
        return list(body["eventList"])

    async def _start_site(self) -> None:
        if self._public_url is None and _unspecified(self.host):
            raise CCGatewayError(f"push_host {self.host} listens on every address, so it names none a gateway could "
                                 "send to: give push_url as well (https://tester.example.com:9443).")
        ca = _issuer(self._push_ca)
        ca.cert_pem.write_to_path(str(self.ca_file))
        hint = urlsplit(self._public_url).hostname if self._public_url else None
        certificate = ca.issue_cert(*_names(*(h for h in (hint, self.host) if h)))
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self._runner = web.AppRunner(self._app(), access_log=None, shutdown_timeout=0.5,
                                     keepalive_timeout=IDLE_TIMEOUT, lingering_time=LINGERING_TIME)
        await self._runner.setup()
        for sock in self._listeners():
            await _GuardedSite(self._runner, sock, context).start()
        port = self._runner.addresses[0][1]
        host = f"[{self.host}]" if ":" in self.host else self.host
        self.base_url = self._public_url or f"https://{host}:{port}"

    def _listeners(self) -> list[GuardedListener]:
        """Listening sockets on every address of ``host``, on one port (the first one's, when ``port`` is 0)."""
        assert self.guard is not None
        infos = socket.getaddrinfo(self.host, self.port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
        listeners: list[GuardedListener] = []
        port = self.port
        try:
            for family, kind, proto, _, address in dict.fromkeys(infos):
                sock = self.guard.listener(family, kind, proto)
                listeners.append(sock)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:  # one socket per address family, as asyncio does
                    sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                sock.bind((address[0], port, *address[2:]))
                port = port or sock.getsockname()[1]
                sock.listen(BACKLOG)
                sock.setblocking(False)
        except OSError:
            for sock in listeners:
                sock.close()
            raise
        return listeners

    def start(self, timeout: float = 15.0) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="ccgw-push-")
        self.ca_file = Path(self._tmp.name) / "ccgw-push-ca.pem"
        started = threading.Event()
        failure: list[BaseException] = []

        def serve() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            self.guard = ConnectionGuard(loop)
            loop.set_exception_handler(self.guard.exception_handler)
            try:
                loop.run_until_complete(self._start_site())
            except BaseException as error:  # reported to the starting thread
                failure.append(error)
                if self._runner is not None:
                    loop.run_until_complete(self._runner.cleanup())
                loop.close()
                if self._tmp is not None:
                    self._tmp.cleanup()
                started.set()
                return
            started.set()
            loop.run_forever()
            if self._runner is not None:
                loop.run_until_complete(self._runner.cleanup())
            loop.close()

        self._thread = threading.Thread(target=serve, name="ccgw-push-receiver", daemon=True)
        self._thread.start()
        if not started.wait(timeout):
            self.stop()  # no half-started endpoint left behind: the next sign-in builds a new one
            raise CCGatewayError(f"The push endpoint did not start within {timeout:g} s.")
        if failure:
            error = failure[0]
            if isinstance(error, CCGatewayError):
                raise error
            raise CCGatewayError(f"The push endpoint cannot listen on {self.host}:{self.port}: "
                                 f"{type(error).__name__}: {error}") from None

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        with self._lock:
            self._registrations.clear()
            self._ended.clear()
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
