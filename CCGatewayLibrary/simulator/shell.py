"""The shell the live simulator and the replay share: the application set-up, the control token guard and the
readiness endpoint, so that neither can drift from the other in what it lets through.

The guard decides by the route a request reached, not by how its path is spelled: with a control token set,
only the gateway's own interfaces (the routes named after catalogue interfaces) answer without it. Every other
request, a control route under any spelling (``/%63cgw-sim``, ``//ccgw-sim``, ``/ccgw-sim/./v1``) and any path
no route serves, needs the token in the control token header.
"""

from __future__ import annotations

import abc
import hmac
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ..catalogue import Catalogue, Interface
from ..protocol import BODY_LIMIT, CONTROL_PREFIX, CONTROL_TOKEN_HEADER, HEALTH_OK, HEALTH_PATH
from ..version import VERSION

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class SimulatorShell(abc.ABC):
    """Base of `GatewaySimulator` and `ReplaySimulator`: what a `SimulatorRunner` serves."""

    catalogue: Catalogue
    restarts: int

    def __init__(self, control_token: str | None) -> None:
        # kept as bytes for hmac.compare_digest, and private so it never shows up in a repr or a log line
        self._control_token = control_token.encode("utf-8") if control_token else None

    @property
    def control_protected(self) -> bool:
        return self._control_token is not None

    def control_token_matches(self, offered: str) -> bool:
        """Whether ``offered`` is the control token (always False when none is set)."""
        # surrogatepass: text that is not clean UTF-8 still becomes bytes, and simply does not match
        return self._control_token is not None and hmac.compare_digest(offered.encode("utf-8", "surrogatepass"),
                                                                        self._control_token)

    @abc.abstractmethod
    def _handler(self, interface: Interface) -> Handler:
        """The handler of a gateway interface."""

    @abc.abstractmethod
    def add_control_routes(self, app: web.Application) -> None:
        """Adds the control routes other than ``/health`` (which the shell answers)."""

    @abc.abstractmethod
    def health_facts(self) -> dict[str, Any]:
        """What ``/health`` tells besides status, version and restarts (agents, the recording, ...)."""

    @abc.abstractmethod
    def reset(self) -> None:
        """Called by the runner on a restart."""

    @abc.abstractmethod
    def counters(self) -> dict[str, Any]:
        """The counters ccgw-sim prints as it stops."""

    def app(self) -> web.Application:
        app = web.Application(client_max_size=BODY_LIMIT, middlewares=[self._guard_control])
        # aiohttp takes the first route that matches; a gateway (JAX-RS) prefers the literal segment over a
        # placeholder in the same place (qualitycontrol/{agentid}/deleteqctask before .../{agentid}/{workNo}).
        for interface in sorted(self.catalogue.interfaces.values(),
                                key=lambda known: [part.startswith("{") for part in known.path.split("/")]):
            app.router.add_route(interface.method, interface.path, self._handler(interface), name=interface.name)
        app.router.add_get(CONTROL_PREFIX + HEALTH_PATH, self.health)
        self.add_control_routes(app)
        return app

    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({**HEALTH_OK, "version": VERSION, **self.health_facts(), "restarts": self.restarts})

    def _is_gateway_route(self, request: web.Request) -> bool:
        name = request.match_info.route.name
        return name is not None and name in self.catalogue.interfaces

    @web.middleware
    async def _guard_control(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """With a control token set, nothing but a gateway interface runs without it."""
        if self._control_token is not None and not self._is_gateway_route(request) \
                and not self.control_token_matches(request.headers.get(CONTROL_TOKEN_HEADER, "")):
            return web.json_response(
                {"error": f"the control interface needs the simulator's control token in the "
                          f"{CONTROL_TOKEN_HEADER} header"},
                status=401, headers={"WWW-Authenticate": CONTROL_TOKEN_HEADER})
        return await handler(request)
