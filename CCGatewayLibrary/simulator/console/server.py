"""The console's web server: the page and its WebSocket, on a port of their own, under ``/ccgw-sim/v1/console/``.

The page (static HTML, CSS and JavaScript from this package) holds no data. It opens the WebSocket, says hello
(with the control token when the simulator has one), and from then on receives snapshots (snapshot.py) pushed
at most every `MIN_INTERVAL` seconds after a change, for the view it asked for. Its buttons send control actions
over the same WebSocket; they run through ``GatewaySimulator.carry_out_control``, as the control routes do.

Protection: with a control token set, nothing but the empty page and its files is served before the WebSocket's
first message carries the token (compared with ``hmac.compare_digest``). The token never travels in a URL: the
page takes it from the address's fragment (which browsers do not send) or a sign-in form. A WebSocket from
another origin is refused (another site open in the same browser cannot drive the console), and on a loopback
address a Host header that is not a loopback name is refused (DNS rebinding). Every reply forbids framing and
caching and allows the page's own scripts only.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import ssl
import time
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from aiohttp import WSCloseCode, WSMsgType, web

from ...protocol import CONTROL_PREFIX, HEALTH_PATH, LOGGER, is_loopback
from ...version import VERSION
from ..calls import FAR_END_BEHAVIOURS
from ..control import CONTROL_ACTIONS
from ..faults import FAULT_KINDS, PUSH
from .snapshot import View, ViewError, snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from ..server import GatewaySimulator

log = logging.getLogger(LOGGER)

CONSOLE_PATH = CONTROL_PREFIX + "/console/"
MIN_INTERVAL = 0.1  # seconds between two snapshots to one page: changes in between are coalesced into one
REFRESH = 1.0  # seconds: a snapshot is also made this often, sent only when it differs from the last one
HELLO_WAIT = 10.0  # seconds a new WebSocket has to say hello (with the token) before it is closed
MAX_MESSAGE = 16 * 1024  # bytes a page's message may have
MAX_PAGES = 16  # pages watching at once; each costs a snapshot per change
UNAUTHORIZED = 4401  # WebSocket close codes 4000-4999 are the application's: 4401 is "needs the token"
BAD_MESSAGE = 4400
FILES = {"": ("index.html", "text/html"), "console.js": ("console.js", "text/javascript"),
         "console.css": ("console.css", "text/css")}
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
}


@dataclass(eq=False)
class Page:
    """One page watching through its WebSocket."""

    socket: web.WebSocketResponse
    view: View = field(default_factory=View)
    changed: asyncio.Event = field(default_factory=asyncio.Event)
    last_text: str = ""
    last_sent: float = 0.0


class Console:
    """Serves the console of ``simulator`` on ``host``:``port`` (0: a free port), with TLS when ``ssl_context``
    is given. ``serving`` tells whether the simulator's own port is up (it is not while a restart keeps it
    closed)."""

    def __init__(self, simulator: GatewaySimulator, *, host: str = "127.0.0.1", port: int = 0,
                 ssl_context: ssl.SSLContext | None = None, serving: Callable[[], bool] = lambda: True) -> None:
        self.simulator = simulator
        self.host, self.port = host, port
        self.ssl_context = ssl_context
        self.serving = serving
        self.pages: set[Page] = set()
        self._runner: web.AppRunner | None = None
        self._stop_listening: Callable[[], None] | None = None
        self._refresher: asyncio.Task[None] | None = None

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{'https' if self.ssl_context else 'http'}://{host}:{self.port}{CONSOLE_PATH}"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_MESSAGE, middlewares=[self._guard])
        app.router.add_get(CONSOLE_PATH.rstrip("/"), self._to_page)
        app.router.add_get(CONSOLE_PATH + "ws", self._websocket)
        app.router.add_get(CONSOLE_PATH + "{name:(console\\.js|console\\.css)?}", self._file)
        return app

    async def start(self) -> str:
        """Starts serving; returns the page's address."""
        self._runner = web.AppRunner(self.app(), access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port, ssl_context=self.ssl_context, reuse_address=True)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self._stop_listening = self.simulator.activity.listen(self._mark_changed)
        self._refresher = asyncio.get_running_loop().create_task(self._refresh())
        return self.url

    async def stop(self) -> None:
        if self._stop_listening is not None:
            self._stop_listening()
        if self._refresher is not None:
            self._refresher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._refresher
        for page in list(self.pages):
            await page.socket.close(code=WSCloseCode.GOING_AWAY, message=b"the simulator stops")
        if self._runner is not None:
            runner, self._runner = self._runner, None
            await runner.cleanup()

    # -- protection -------------------------------------------------------------------------------------
    @web.middleware
    async def _guard(self, request: web.Request, handler: Callable[[web.Request], Any]) -> web.StreamResponse:
        # DNS rebinding: a page of another site whose name now points here still sends its own name as Host.
        if is_loopback(self.host) and not is_loopback(urlsplit(f"//{request.host}").hostname or ""):
            return web.Response(status=421, text="the console answers loopback names only", headers=SECURITY_HEADERS)
        try:
            response: web.StreamResponse = await handler(request)
        except web.HTTPException as error:
            error.headers.update(SECURITY_HEADERS)
            raise
        if not response.prepared:  # a WebSocket has sent its headers already
            response.headers.update(SECURITY_HEADERS)
        return response

    def _same_origin(self, request: web.Request) -> bool:
        """A browser always names the page that opens a WebSocket (Origin): it must be the console's own."""
        origin = request.headers.get("Origin")
        return origin is None or origin == f"{request.scheme}://{request.host}"

    # -- the page ---------------------------------------------------------------------------------------
    async def _to_page(self, request: web.Request) -> web.Response:
        raise web.HTTPFound(CONSOLE_PATH)  # a fragment (#token=...) stays with the browser across the redirect

    async def _file(self, request: web.Request) -> web.Response:
        name, content_type = FILES[request.match_info["name"]]
        text = resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")
        return web.Response(text=text, content_type=content_type, charset="utf-8")

    async def _websocket(self, request: web.Request) -> web.StreamResponse:
        if not self._same_origin(request):
            return web.Response(status=403, text="the console's WebSocket serves the console's own page only")
        if len(self.pages) >= MAX_PAGES:
            return web.Response(status=503, text=f"{MAX_PAGES} pages watch already")
        socket = web.WebSocketResponse(heartbeat=20.0, max_msg_size=MAX_MESSAGE)
        await socket.prepare(request)
        if not await self._hello(socket):
            return socket
        page = Page(socket)
        self.pages.add(page)
        pump = asyncio.get_running_loop().create_task(self._pump(page))
        try:
            async for message in socket:
                if message.type != WSMsgType.TEXT:
                    break
                await self._receive(page, message.data)
        finally:
            self.pages.discard(page)
            pump.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await pump
        return socket

    async def _hello(self, socket: web.WebSocketResponse) -> bool:
        """The page's first message must be ``{"type": "hello"}``, with ``token`` when the simulator has one."""
        try:
            message = await socket.receive(timeout=HELLO_WAIT)
        except TimeoutError:
            await socket.close(code=UNAUTHORIZED, message=b"no hello")
            return False
        hello = _json(message.data) if message.type == WSMsgType.TEXT else None
        if not isinstance(hello, dict) or hello.get("type") != "hello":
            await socket.close(code=BAD_MESSAGE, message=b"the first message must be a hello")
            return False
        token = hello.get("token")
        if self.simulator.control_protected and not (isinstance(token, str)
                                                     and self.simulator.control_token_matches(token)):
            log.warning("console: a page was refused: %s", "no control token" if not token else "a wrong control token")
            await socket.send_json({"type": "refused", "error": "the console needs the simulator's control token"
                                    if not token else "that is not the simulator's control token"})
            await socket.close(code=UNAUTHORIZED, message=b"control token needed")
            return False
        log.info("console: a page is watching (%d in all)", len(self.pages) + 1)
        await socket.send_json({"type": "welcome", **self.facts()})
        return True

    def facts(self) -> dict[str, Any]:
        """What the page needs once: the control actions with their fields, the choices its forms offer."""
        actions = {action.name: {"method": action.method, "path": action.path,
                                 "fields": [{"name": f.name, "rule": f.rule.text, "required": f.required}
                                            for f in action.fields]}
                   for action in CONTROL_ACTIONS.values() if action.path != HEALTH_PATH}
        return {"version": VERSION, "protected": self.simulator.control_protected, "actions": actions,
                "faultKinds": {name: {"request": kind.on_request, "push": kind.on_push,
                                      "value": kind.value.rule if kind.value else None,
                                      # how the page sends a value typed in: as text, or as a number
                                      "valueType": None if kind.value is None
                                      else "text" if kind.value.convert is str else "number"}
                               for name, kind in FAULT_KINDS.items()},
                "interfaces": ["*", PUSH, *sorted(self.simulator.catalogue.interfaces)],
                "behaviours": list(FAR_END_BEHAVIOURS), "minInterval": MIN_INTERVAL}

    async def _receive(self, page: Page, text: str) -> None:
        message = _json(text)
        kind = message.get("type") if isinstance(message, dict) else None
        if kind == "view":
            try:
                page.view = View.parse(message)
            except ViewError as error:
                await page.socket.send_json({"type": "error", "error": str(error)})
                return
            page.last_text = ""  # answered even when nothing changed: the page waits for its view
            page.changed.set()
        elif kind == "action":
            await page.socket.send_json(self._act(message))
        else:
            await page.socket.send_json({"type": "error", "error": "a message must be a JSON object whose type is "
                                                                   "view or action"})

    def _act(self, message: dict[str, Any]) -> dict[str, Any]:
        """Carries out a control action a button asked for, exactly as the control interface would."""
        name, arguments, ask = message.get("action"), message.get("arguments", {}), message.get("id")
        answer: dict[str, Any] = {"type": "result", "id": ask if isinstance(ask, int) else None,
                                  "action": name if isinstance(name, str) else None}
        action = CONTROL_ACTIONS.get(name) if isinstance(name, str) else None
        if action is None or action.path == HEALTH_PATH:
            return {**answer, "status": 400, "reply": {"error": f"action must be one of "
                                                                f"{', '.join(self.facts()['actions'])}"}}
        if not isinstance(arguments, dict):
            return {**answer, "status": 400, "reply": {"error": "arguments must be a JSON object"}}
        status, reply = self.simulator.carry_out_control(action, arguments)
        return {**answer, "status": status, "reply": reply}

    # -- pushing snapshots --------------------------------------------------------------------------------
    def _mark_changed(self) -> None:
        for page in self.pages:
            page.changed.set()

    async def _refresh(self) -> None:
        while True:
            await asyncio.sleep(REFRESH)
            self._mark_changed()

    async def _pump(self, page: Page) -> None:
        """Sends the page a snapshot after each change, at most every MIN_INTERVAL, and only when it differs."""
        page.changed.set()  # the first one at once
        while not page.socket.closed:
            await page.changed.wait()
            wait = page.last_sent + MIN_INTERVAL - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            page.changed.clear()
            try:
                text = json.dumps(snapshot(self.simulator, page.view, serving=self.serving()), separators=(",", ":"))
            except Exception as error:  # a chapter's data the snapshot cannot show: say so, and keep watching
                log.exception("console: the snapshot failed")
                problem = f"the console cannot show the simulator's state: {type(error).__name__}: {error}"[:300]
                if problem != page.last_text:
                    page.last_text = problem
                    await page.socket.send_json({"type": "error", "error": problem})
                continue
            if text == page.last_text:
                continue
            page.last_text, page.last_sent = text, time.monotonic()
            try:
                await page.socket.send_str(f'{{"type":"snapshot","at":{int(time.time() * 1000)},"snapshot":{text}}}')
            except ConnectionError:
                return


def _json(text: Any) -> Any:
    """The JSON value of a page's message, or None; depth and size are bounded as for any control request."""
    from ..server import UnreadableBody, parse_body

    if not isinstance(text, str):
        return None
    try:
        return parse_body(text.encode("utf-8", "surrogatepass"), "utf-8")
    except UnreadableBody:
        return None
