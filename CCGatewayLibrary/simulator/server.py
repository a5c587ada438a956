"""The simulator's HTTPS server: gateway routes from the catalogue, long polling, control interface.

Gateway paths and methods come from the interface catalogue, requests are checked against the same
schemas the library uses, and every reply is checked against its response schema before it leaves,
so the simulator cannot drift from the documented shapes. The control interface lives under
``/ccgw-sim/v1`` and never overlaps the gateway's ``/agentgateway`` paths.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from ..catalogue import POLL_RESPONSE_SCHEMA, Catalogue, Interface, load_catalogue
from ..version import VERSION
from .control import CONTROL_PREFIX
from .model import Agent, GatewayModel, Refused, SimulationError, SimulatorConfig
from .roster import Roster

log = logging.getLogger("ccgw-sim")

Operation = Callable[[GatewayModel, Agent, dict[str, Any]], Any]


def _operations() -> dict[str, Operation]:
    """What each interface does; login, forceLogin and getAgentEvent are handled apart."""
    return {
        "logout": lambda m, a, r: m.logout(a),
        "forceLogout": lambda m, a, r: m.logout(a, force=True),
        "sayFree": lambda m, a, r: m.say_free(a),
        "sayBusy": lambda m, a, r: m.say_busy(a, r["query"].get("reason")),
        "getAgentStatus": lambda m, a, r: m.status(a),
        "answer": lambda m, a, r: m.answer(a, r["query"].get("callid")),
        "release": lambda m, a, r: m.release(a),
        "hold": lambda m, a, r: m.hold(a),
        "getHold": lambda m, a, r: m.get_hold(a, r["query"].get("callid")),
        "callout": lambda m, a, r: m.callout(a, r["body"]),
        "confJoin": lambda m, a, r: m.conf_join(a, r["body"]["callid"]),
    }


class GatewaySimulator:
    def __init__(self, config: SimulatorConfig | None = None, roster: Roster | None = None,
                 catalogue: Catalogue | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.catalogue = catalogue or load_catalogue()
        self.model = GatewayModel(roster or Roster.load(), self.config, schedule=self._schedule, notify=self._notify)
        self._wakeups: dict[str, asyncio.Event] = {}
        self._operations = _operations()
        self.requests_served = 0

    # -- wiring the model to the event loop --------------------------------------------------------
    def _schedule(self, delay: float, action: Callable[[], None]) -> None:
        asyncio.get_running_loop().call_later(delay, action)

    def _notify(self, agent_id: str) -> None:
        self._wakeup(agent_id).set()

    def _wakeup(self, agent_id: str) -> asyncio.Event:
        return self._wakeups.setdefault(agent_id, asyncio.Event())

    # -- application ---------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = web.Application(client_max_size=1024 * 1024)
        for interface in self.catalogue.interfaces.values():
            app.router.add_route(interface.method, interface.path, self._handler(interface), name=interface.name)
        app.router.add_get(f"{CONTROL_PREFIX}/health", self.health)
        app.router.add_post(f"{CONTROL_PREFIX}/calls", self.control_offer_call)
        app.router.add_delete(f"{CONTROL_PREFIX}/calls/{{callid}}", self.control_hang_up)
        app.router.add_get(f"{CONTROL_PREFIX}/agents/{{agentid}}", self.control_agent)
        return app

    def _handler(self, interface: Interface) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            self.requests_served += 1
            return await self._serve(interface, request)

        return handle

    async def _serve(self, interface: Interface, request: web.Request) -> web.Response:
        body: Any = None
        if request.can_read_body:
            try:
                body = json.loads(await request.text() or "null")
            except ValueError:
                return self._reply(interface, "000-006", message="message body is not JSON")
        agent_id = request.match_info["agentid"]
        call = {"path": dict(request.match_info), "query": dict(request.query), "body": body}
        if not interface.has_body and body is not None:
            call["body"] = None  # bodies on body-less interfaces are ignored, as a gateway would
        problems = self.catalogue.problems(interface.request_schema["$id"], call)
        if problems:
            return self._reply(interface, "000-002", message=problems)
        try:
            if interface.name in ("login", "forceLogin"):
                result, guid = self.model.login(agent_id, call["body"], force=interface.name == "forceLogin")
                return self._reply(interface, "0", result=result, guid=guid)
            agent = self.model.authorize(agent_id, request.headers.get("Guid"))
            if interface.name == "getAgentEvent":
                return await self._poll(interface, agent)
            operation = self._operations.get(interface.name)
            if operation is None:
                return self._reply(interface, "000-002", message=f"{interface.name} is not simulated")
            result = operation(self.model, agent, call)
        except Refused as refusal:
            return self._reply(interface, refusal.retcode, message=refusal.message)
        return self._reply(interface, "0", result=result if result is not None else {})

    async def _poll(self, interface: Interface, agent: Agent) -> web.Response:
        wakeup = self._wakeup(agent.agent_id)
        event = self.model.next_event(agent)
        if event is None:
            wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(wakeup.wait(), self.config.poll_wait)
            if not agent.signed_in:
                return self._reply(interface, "100-006")
            event = self.model.next_event(agent)
        new_guid = self.model.rotate_guid(agent)
        reply = {"message": "", "retcode": "0", "event": event}
        self._check(POLL_RESPONSE_SCHEMA, reply)
        return self._json(reply, guid=new_guid)

    def _reply(self, interface: Interface, retcode: str, *, result: Any = None, message: str = "",
               guid: str | None = None) -> web.Response:
        reply: dict[str, Any] = {"message": message or ("success" if retcode == "0" else
                                                        self.catalogue.meaning(retcode)), "retcode": retcode}
        if result is not None:
            reply["result"] = result
        self._check(interface.response_schema["$id"], reply)
        return self._json(reply, guid=guid)

    def _check(self, schema: str, reply: dict[str, Any]) -> None:
        problems = self.catalogue.problems(schema, reply)
        if problems:  # a simulator bug, not a client error
            raise web.HTTPInternalServerError(text=f"simulator reply breaks {schema}: {problems}")

    @staticmethod
    def _json(reply: dict[str, Any], *, guid: str | None = None) -> web.Response:
        headers = {"Set-GUID": f"JSESSIONID={guid}"} if guid else None
        return web.Response(text=json.dumps(reply), headers=headers, content_type="application/json",
                            charset="utf-8")

    # -- control interface ---------------------------------------------------------------------------
    async def health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "simulator": "ccgw-sim", "version": VERSION,
                                  "agents": len(self.model.roster)})

    async def control_offer_call(self, request: web.Request) -> web.Response:
        try:
            data = await request.json()
            callid = self.model.offer_inbound_call(str(data["caller"]), str(data["agent"]))
        except (ValueError, KeyError, TypeError):
            return web.json_response({"error": "body must be JSON with 'caller' and 'agent'"}, status=400)
        except SimulationError as error:
            return web.json_response({"error": str(error)}, status=409)
        return web.json_response({"callid": callid}, status=201)

    async def control_hang_up(self, request: web.Request) -> web.Response:
        try:
            self.model.customer_hangs_up(request.match_info["callid"])
        except SimulationError as error:
            return web.json_response({"error": str(error)}, status=404)
        return web.json_response({"released": request.match_info["callid"]})

    async def control_agent(self, request: web.Request) -> web.Response:
        agent_id = request.match_info["agentid"]
        if agent_id not in self.model.roster:
            return web.json_response({"error": f"agent {agent_id} is not in the roster"}, status=404)
        agent = self.model.agent(agent_id)
        return web.json_response({"agentid": agent_id, "signedIn": agent.signed_in, "agentState": agent.state,
                                  "calls": [{"callid": c.callid, "state": c.state, "customer": c.customer}
                                            for c in agent.calls], "queuedEvents": len(agent.queue)})
