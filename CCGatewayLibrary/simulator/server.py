"""The simulator's HTTPS server: gateway routes from the catalogue, long polling, control interface.

Gateway paths and methods come from the interface catalogue, requests are checked against the same
schemas the library uses, and every reply is checked against its response schema before it leaves,
so the simulator cannot drift from the documented shapes. Likewise a retcode or an event that the catalogue
does not list for the interface is a breach of contract: it is recorded, and the request answers HTTP 500.
Which interface does what comes from the model: the agent state table, ``@serves`` methods, sign-in
(interfaces that set the Guid) and event polling. The control interface lives under
``/ccgw-sim/v1`` and never overlaps the gateway's ``/agentgateway`` paths; with a control token set,
every request but the gateway's own must carry the token in the ``X-CCGW-Sim-Token`` header (see shell.py).
"""

from __future__ import annotations

import asyncio
import codecs
import contextlib
import json
import logging
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Any, NoReturn

from aiohttp import web

from ..catalogue import POLL_RESPONSE_SCHEMA, Catalogue, Interface, load_catalogue
from ..catalogue.gateway import HEARTBEAT_INTERFACE, POLL_INTERFACE, SERVICE_TOKEN_HEADER, SUCCESS
from ..jsonfile import nested_deeper_than
from ..protocol import BODY_DEPTH_LIMIT, HEALTH_PATH, LOGGER
from .activity import Activity
from .agent_states import AGENT_STATE_TABLE
from .control import CONTROL_ACTIONS, ControlAction, ControlArgumentError
from .faults import BEFORE_SERVING, Fault, FaultError, parse_fault
from .model import Agent, GatewayModel, Refused, SimulationError, SimulatorConfig
from .operations import OPERATIONS, FileReply
from .push import Pusher
from .roster import Roster
from .shell import Handler, SimulatorShell

log = logging.getLogger(LOGGER)

# handShake's optional service_token header: at most 50 letters or digits, else 100-001
SERVICE_TOKEN = re.compile(r"[A-Za-z0-9]{1,50}")

# Gateway bodies are flat (two levels at most). Anything deeper is refused before it is parsed, so neither
# json.loads nor schema validation nor repr() in error messages ever recurses on attacker-sized nesting.
MAX_BODY_DEPTH = BODY_DEPTH_LIMIT  # re-exported
# Charsets a client may declare for a JSON body. Python knows more codecs, but some are not charsets at all
# (base64, rot13) and some decode in quadratic time (punycode), so only plain text encodings are honoured.
BODY_CHARSETS = frozenset({"utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le",
                           "utf-32-be", "ascii", "iso8859-1", "cp1252", "gbk", "gb2312", "gb18030", "big5"})


def simulated_by(interface: Interface) -> str | None:
    """How the simulator carries ``interface`` out, or None when it does not."""
    if interface.sets_guid and interface.name != POLL_INTERFACE:
        return "sign-in"
    if interface.name == POLL_INTERFACE:
        return "event poll"
    if interface.name in OPERATIONS:  # before the table: an inspector's forced change runs on another agent
        return OPERATIONS[interface.name].__qualname__
    if interface.name in AGENT_STATE_TABLE:
        return "agent state table"
    return None


class ControlRefused(Exception):
    """A control action the simulator cannot carry out; answered with ``status``, or the action's refusal status."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class UnreadableBody(ValueError):
    """The request body cannot be taken as JSON; the text says why, for the client."""

    def __init__(self, message: str, *, close_connection: bool = False) -> None:
        super().__init__(message)
        # after a broken transfer the connection cannot carry another request, so the reply must say so
        self.close_connection = close_connection

    def answer(self, response: web.Response) -> web.Response:
        if self.close_connection:
            response.force_close()
        return response


def _no_constant(name: str) -> NoReturn:
    raise ValueError(f"{name} is not JSON")  # json.loads would otherwise accept NaN and Infinity


def parse_body(raw: bytes, charset: str | None) -> Any:
    """The JSON value in a request body (None when the body is empty), or UnreadableBody."""
    if not raw:
        return None
    try:
        codec = codecs.lookup(charset or "utf-8").name
    except (LookupError, ValueError):  # ValueError: a NUL or a lone surrogate in the name
        codec = ""
    if codec not in BODY_CHARSETS:
        raise UnreadableBody(f"message body is not valid JSON: charset {str(charset)[:40]!r} is not supported")
    # Bytes the declared charset cannot decode become U+FFFD, as a Java servlet's reader makes them: a body in
    # another encoding than it declares (the vendor's demo client sends Latin-1 declared as UTF-8) is then judged
    # by its content, as the gateway judges it, not refused as "not JSON".
    text = raw.decode(codec, errors="replace")
    if nested_deeper_than(text, MAX_BODY_DEPTH):
        raise UnreadableBody(f"message body is not valid JSON: nested more than {MAX_BODY_DEPTH} levels deep")
    try:
        return json.loads(text, parse_constant=_no_constant)
    except ValueError:
        raise UnreadableBody("message body is not valid JSON") from None


async def request_json(request: web.Request) -> Any:
    """The request's JSON body (None when empty), or UnreadableBody."""
    encoding = request.headers.get("Content-Encoding", "identity").strip().lower()
    if encoding not in ("", "identity"):
        # The runner keeps bodies as sent (auto_decompress=False), so this one is still compressed, or claims to be.
        raise UnreadableBody(f"message body is not valid JSON: Content-Encoding {encoding[:20]!r} is not accepted")
    try:
        raw = await request.read()
    except web.RequestPayloadError:  # a broken transfer (or, decoding left on, a broken encoding)
        raise UnreadableBody("message body could not be read", close_connection=True) from None
    return parse_body(raw, request.charset)


class GatewaySimulator(SimulatorShell):
    def __init__(self, config: SimulatorConfig | None = None, roster: Roster | None = None,
                 catalogue: Catalogue | None = None, *, control_token: str | None = None,
                 request_log: Callable[[str], None] | None = None) -> None:
        super().__init__(control_token)
        self.config = config or SimulatorConfig()
        self.catalogue = catalogue or load_catalogue(self.config.gateway_version)
        self.model = GatewayModel(roster or Roster.load(), self.config, schedule=self._schedule, notify=self._notify,
                                  observe=self._observe_event)
        self._wakeups: dict[str, asyncio.Event] = {}
        self.requests_served = 0
        self.answers: Counter[tuple[str, str]] = Counter()  # (interface, retcode) -> replies
        self.faults: list[Fault] = []  # injected through the control interface, used up request by request
        self.request_log = request_log  # one redacted line per request: time, agent, interface, retcode, ms
        # Contract breaches: a retcode or event the catalogue does not list for the interface that caused it.
        self.breaches: list[str] = []
        self.pusher = Pusher(self.model, self.config, self.catalogue, self._wakeup, lambda: self.faults)
        # set by the runner: stops serving, calls reset(), serves again on the same port (argument: downtime)
        self.restart_handler: Callable[[float], Awaitable[None]] | None = None
        self.restarts = 0
        self._background: set[asyncio.Task[None]] = set()
        self.activity = Activity()  # the latest requests and events, and changes, for the console

    def reset(self) -> None:
        """Forgets every session and call, as a rebooted gateway does; counters and far ends stay."""
        events, far_ends = self.model.events, self.model.far_ends
        self.model = GatewayModel(self.model.roster, self.config, schedule=self._schedule, notify=self._notify,
                                  observe=self._observe_event)
        self.model.events, self.model.far_ends = events, far_ends
        self.pusher.model = self.model  # the pushes of the lost sessions ended with the server
        self._wakeups.clear()
        self.restarts += 1
        self.activity.changed()

    def schedule_restart(self, downtime: float) -> None:
        """Restarts a moment from now, so the reply that asked for it still leaves."""
        if self.restart_handler is None:
            raise SimulationError("this simulator cannot restart: it is not run by a SimulatorRunner")
        handler = self.restart_handler

        def begin() -> None:
            task: asyncio.Task[None] = asyncio.ensure_future(handler(downtime))
            self._background.add(task)
            task.add_done_callback(self._background.discard)

        asyncio.get_running_loop().call_later(0.05, begin)

    # -- wiring the model to the event loop --------------------------------------------------------
    def _schedule(self, delay: float, action: Callable[[], None]) -> None:
        asyncio.get_running_loop().call_later(delay, action)

    def _notify(self, agent_id: str) -> None:
        self._wakeup(agent_id).set()
        self.activity.event_for(agent_id)

    def _wakeup(self, agent_id: str) -> asyncio.Event:
        return self._wakeups.setdefault(agent_id, asyncio.Event())

    def _observe_event(self, cause: str | None, event: str) -> None:
        # The world tells the event's name here and its agent to _notify right after (World.emit).
        self.activity.event_named(cause, event)
        if event not in self.catalogue.event_names:
            self._breach(f"event {event} is not in the catalogue")
        elif cause is not None and event not in self.catalogue.interface(cause).events:
            self._breach(f"{cause} caused {event}, which the catalogue does not list for it")

    def _breach(self, text: str) -> None:
        log.error("contract breach: %s", text)
        self.breaches.append(text)

    async def _sign_out_silent_agents(self, app: web.Application) -> AsyncIterator[None]:
        """Background check: agents nobody polled for are signed out, as the gateway does."""

        async def watch() -> None:
            while True:
                await asyncio.sleep(min(1.0, self.config.silence_sign_out / 4))
                for agent_id in self.model.sign_out_silent_agents():
                    log.info("agent %s signed out: no poll or heartbeat for %.1f s", agent_id,
                             self.config.silence_sign_out)

        task = asyncio.get_running_loop().create_task(watch())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    # -- application ---------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = super().app()
        app.cleanup_ctx.append(self._sign_out_silent_agents)
        app.cleanup_ctx.append(self.pusher.lifecycle)
        return app

    def add_control_routes(self, app: web.Application) -> None:
        for action in CONTROL_ACTIONS.values():
            if action.path != HEALTH_PATH:  # the shell answers it
                app.router.add_route(action.method, action.route(), self._control_route(action))

    def _control_route(self, action: ControlAction) -> Handler:
        """The handler of ``action``: reads its body once and answers what `carry_out_control` gives."""
        getattr(self, f"control_{action.name}")  # an action without its method fails at start-up, not when used

        async def handle(request: web.Request) -> web.Response:
            body: Any = None
            if action.has_body:
                try:
                    body = await request_json(request)
                except UnreadableBody as problem:
                    return problem.answer(web.json_response({"error": str(problem)}, status=400))
                if body is not None and not isinstance(body, dict):
                    fields = ", ".join(field.name for field in action.field("body"))
                    return web.json_response({"error": f"body must be a JSON object with {fields}"}, status=400)
            status, reply = self.carry_out_control(action, {**(body or {}), **request.query, **request.match_info})
            return web.json_response(reply, status=status)

        return handle

    def carry_out_control(self, action: ControlAction, given: dict[str, Any]) -> tuple[int, Any]:
        """The HTTP status and reply of ``action`` with the fields ``given`` (by name): its fields taken by their
        rules (400 naming the field and the rule), then what ``control_<name>`` returns, or the action's refusal
        status. The control routes and the console's buttons both come here."""
        started = time.perf_counter()
        try:
            arguments = action.arguments(given)
            status, reply = action.success, getattr(self, f"control_{action.name}")(**arguments)
        except ControlArgumentError as error:
            status, reply = 400, {"error": str(error)}
        except ControlRefused as refusal:
            status, reply = refusal.status or action.refused, {"error": str(refusal)}
        except SimulationError as error:
            status, reply = action.refused, {"error": str(error)}
        agent = given.get("agentid") or given.get("agent")
        self.activity.request(action.name, str(agent)[:24] if isinstance(agent, str | int) else "-", str(status),
                              (time.perf_counter() - started) * 1000, kind="control")
        return status, reply

    def _handler(self, interface: Interface) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            self.requests_served += 1
            started = time.perf_counter()
            agent_id = request.match_info.get("agentid", "")
            fault = self._take_fault(interface.name, agent_id, BEFORE_SERVING)
            response = await self._with_fault(fault, interface, request)
            # A drop is decided when the reply is ready: a poll parked before the fault was set may be the one
            # that carries the event, and a poll that carries none is not worth dropping.
            if fault is None and (interface.name != POLL_INTERFACE or getattr(response, "carried_event", False)):
                dropped = self._take_fault(interface.name, agent_id, ("drop",))
                if dropped is not None and request.transport is not None:
                    log.info("injecting fault %s into %s", dropped.describe(), interface.name)
                    if getattr(response, "carried_event", False):
                        self.model.events["lost"] += 1
                    request.transport.close()  # the request was carried out; its reply never arrives
            retcode = getattr(response, "retcode", "-")
            self.answers[(interface.name, retcode)] += 1
            self.activity.request(interface.name, agent_id, retcode, (time.perf_counter() - started) * 1000)
            if self.request_log is not None:
                # Agent ID, interface and retcode only: no Guid, no body, so nothing secret reaches the file.
                self.request_log(f"{datetime.now().isoformat(timespec='milliseconds')} "
                                 f"agent={request.match_info.get('agentid', '-')} {interface.name} retcode={retcode} "
                                 f"{(time.perf_counter() - started) * 1000:.1f}ms")
            return response

        return handle

    def _take_fault(self, interface: str, agent: str, kinds: tuple[str, ...]) -> Fault | None:
        for fault in self.faults:
            if fault.kind in kinds and fault.matches(interface, agent):
                fault.count -= 1
                self.faults = [f for f in self.faults if f.count > 0]
                return fault
        return None

    async def _with_fault(self, fault: Fault | None, interface: Interface, request: web.Request) -> web.Response:
        if fault is None:
            return await self._serve(interface, request)
        log.info("injecting fault %s into %s", fault.describe(), interface.name)
        if fault.kind == "delay":
            await asyncio.sleep(float(fault.value))
        elif fault.kind == "http":
            return web.Response(status=int(fault.value), text=f"injected HTTP {fault.value}")
        elif fault.kind == "not-json":
            return web.Response(text="<html><body>injected: not JSON</body></html>", content_type="text/html")
        elif fault.kind == "retcode":
            return self._json({"message": "injected", "retcode": str(fault.value)})
        elif fault.kind == "restart":  # the gateway goes down under this request: no reply, every session lost
            self.schedule_restart(float(fault.value or 0))
            if request.transport is not None:
                request.transport.close()
            return web.Response(status=503)
        return await self._serve(interface, request)

    async def _serve(self, interface: Interface, request: web.Request) -> web.Response:
        body: Any = None
        if request.can_read_body:
            try:
                body = await request_json(request)
            except UnreadableBody as problem:  # the gateway answers a malformed body with 000-006
                return problem.answer(self._reply(interface, "000-006", message=str(problem)))
        agent_id = request.match_info["agentid"]
        call = {"path": dict(request.match_info), "query": dict(request.query), "body": body}
        if not interface.has_body and body is not None:
            call["body"] = None  # bodies on body-less interfaces are ignored, as a gateway would
        problems = self.catalogue.problems(interface.request_schema["$id"], call)
        if problems:
            return self._reply(interface, "000-002", message=problems)
        breaches = len(self.breaches)
        try:
            if interface.name == POLL_INTERFACE:
                # A poll waits, and other requests run meanwhile: it must not hold a cause across the wait.
                response = await self._poll(interface, self.model.authorize(agent_id, request.headers.get("Guid")))
            else:
                with self.model.caused_by(interface.name):
                    response = self._carry_out(interface, request, agent_id, call)
        except Refused as refusal:
            response = self._reply(interface, refusal.retcode, message=refusal.message)
        if len(self.breaches) > breaches:
            raise web.HTTPInternalServerError(text=f"simulator breaks its catalogue: {self.breaches[-1]}")
        return response

    def _carry_out(self, interface: Interface, request: web.Request, agent_id: str,
                   call: dict[str, Any]) -> web.Response:
        how = simulated_by(interface)
        if how == "sign-in":
            signed_in, guid = self.model.login(agent_id, call["body"], force=interface.name == "forceLogin")
            if self.model.agents[agent_id].pushed:
                self.pusher.start(self.model.agents[agent_id])
            return self._reply(interface, SUCCESS, result=signed_in, guid=guid)
        agent = self.model.authorize(agent_id, request.headers.get("Guid"))
        if interface.name == HEARTBEAT_INTERFACE:
            return self._heartbeat(interface, agent, request.headers.get(SERVICE_TOKEN_HEADER))
        if how == "agent state table":
            self.model.change_state(agent, interface.name, call)
            result: Any = None
        elif how is not None:
            result = self.model.run(interface.name, agent, call)
            if isinstance(result, FileReply):
                return self._file(interface, result)
        else:
            return self._reply(interface, "000-002", message=f"{interface.name} is not simulated")
        return self._reply(interface, SUCCESS, result=result if result is not None else {})

    def _heartbeat(self, interface: Interface, agent: Agent, token: str | None) -> web.Response:
        """handShake: a sign of life; in push mode a new service token (when sent) and, in dynamic authentication,
        the renewed Guid on the reply, since no polls carry it."""
        if token is not None and not SERVICE_TOKEN.fullmatch(token):
            raise Refused("100-001", "service_token must be 1 to 50 letters or digits")
        self.model.run(interface.name, agent, {})
        if not agent.pushed:
            return self._reply(interface, SUCCESS, result={})
        if token is not None:
            agent.service_token = token
        return self._reply(interface, SUCCESS, result={}, guid=self.model.rotate_guid(agent))

    async def _poll(self, interface: Interface, agent: Agent) -> web.Response:
        if agent.pushed:
            # Events go to the callback only, so a poll never takes one; it is held and answered empty, and does
            # not count as a sign of life (the heartbeat does).
            await asyncio.sleep(self.config.poll_wait)
            return self._json({"message": "", "retcode": SUCCESS, "event": None})
        wakeup = self._wakeup(agent.agent_id)
        session = agent.session
        self.model.seen(agent)
        event = self.model.next_event(agent)
        if event is None:
            wakeup.clear()
            agent.open_polls += 1
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(wakeup.wait(), self.config.poll_wait)
            finally:
                agent.open_polls -= 1
                self.model.seen(agent)
            if agent.session != session:
                # Another sign-in took the agent over while this poll waited: its events are the new session's.
                return self._reply(interface, "000-003", message="the session was taken over by a new sign-in")
            event = self.model.next_event(agent)
            if event is None and not agent.signed_in:
                return self._reply(interface, "100-006")
        new_guid = self.model.rotate_guid(agent)
        reply = {"message": "", "retcode": SUCCESS, "event": event}
        self._check(POLL_RESPONSE_SCHEMA, reply)
        response = self._json(reply, guid=new_guid)
        response.carried_event = event is not None  # type: ignore[attr-defined]  # counted as lost if dropped
        return response

    def _reply(self, interface: Interface, retcode: str, *, result: Any = None, message: str = "",
               guid: str | None = None) -> web.Response:
        if retcode not in interface.possible_retcodes:
            self._breach(f"{interface.name} answered retcode {retcode}, which the catalogue does not list for it")
        reply: dict[str, Any] = {"message": message or ("success" if retcode == SUCCESS else
                                                        self.catalogue.meaning(retcode)), "retcode": retcode}
        if result is not None:
            reply["result"] = result
        self._check(interface.response_schema["$id"], reply)
        return self._json(reply, guid=guid)

    def _file(self, interface: Interface, reply: FileReply) -> web.Response:
        """A download's success: the file itself, with the Content-Type the catalogue gives the interface."""
        if interface.file_type is None:
            self._breach(f"{interface.name} answered a file, which the catalogue does not say it serves")
        response = web.Response(body=reply.content,
                                headers={"Content-Type": interface.file_type or "application/octet-stream"})
        response.retcode = SUCCESS  # type: ignore[attr-defined]  # for the counters and the log
        return response

    def _check(self, schema: str, reply: dict[str, Any]) -> None:
        problems = self.catalogue.problems(schema, reply)
        if problems:  # a simulator bug, not a client error
            raise web.HTTPInternalServerError(text=f"simulator reply breaks {schema}: {problems}")

    @staticmethod
    def _json(reply: dict[str, Any], *, guid: str | None = None) -> web.Response:
        headers = {"Set-GUID": f"JSESSIONID={guid}"} if guid else None
        response = web.Response(text=json.dumps(reply), headers=headers, content_type="application/json",
                                charset="utf-8")
        response.retcode = str(reply.get("retcode"))  # type: ignore[attr-defined]  # for the counters and the log
        return response

    def counters(self) -> dict[str, Any]:
        """Requests per interface and retcode, open polls, and events queued, delivered and dropped."""
        per_interface: dict[str, dict[str, int]] = {}
        for (name, retcode), count in sorted(self.answers.items()):
            per_interface.setdefault(name, {})[retcode] = count
        return {"requests": self.requests_served, "answers": per_interface,
                "openPolls": sum(agent.open_polls for agent in self.model.agents.values()),
                "signedIn": sum(agent.signed_in for agent in self.model.agents.values()),
                "events": dict(self.model.events), "pushes": dict(self.pusher.counts),
                "contractBreaches": len(self.breaches)}

    # -- control interface ---------------------------------------------------------------------------
    def health_facts(self) -> dict[str, Any]:
        return {"agents": len(self.model.roster)}

    def control_restart(self, downtime: float) -> dict[str, Any]:
        self.schedule_restart(downtime)
        return {"restarting": True, "downtime": downtime, "restarts": self.restarts + 1}

    def control_offer_call(self, caller: str, agent: str) -> dict[str, Any]:
        return {"callid": self.model.offer_inbound_call(caller, agent)}

    def control_queue_call(self, caller: str, skill: int | None, access_code: str | None,
                           patience: float | None) -> dict[str, Any]:
        return self.model.queue_inbound_call(caller, skill, access_code, patience)

    def control_give_up(self, callid: str) -> dict[str, Any]:
        return self.model.caller_gives_up(callid)

    def control_hang_up(self, callid: str, number: str | None) -> dict[str, Any]:
        self.model.customer_hangs_up(callid, number)
        return {"released": callid}

    def control_counters(self) -> dict[str, Any]:
        return self.counters()

    def control_add_fault(self, **fields: Any) -> dict[str, Any]:
        try:
            fault = parse_fault(fields, set(self.catalogue.interfaces))
        except FaultError as error:
            raise ControlArgumentError(str(error)) from None
        self.faults.append(fault)
        return fault.describe()

    def control_faults(self) -> list[dict[str, Any]]:
        return [fault.describe() for fault in self.faults]

    def control_clear_faults(self) -> dict[str, Any]:
        cleared, self.faults = len(self.faults), []
        return {"cleared": cleared}

    def control_queue_event(self, agentid: str, eventType: str, content: Any) -> dict[str, Any]:
        """Queues an event of the catalogue for a signed-in agent, as if the platform had sent it."""
        agent = self._signed_in_agent(agentid)
        event = {"eventType": eventType, "workNo": agent.agent_id, "content": content}
        problem = self.catalogue.event_problems(event)
        if problem is not None:
            raise ControlArgumentError(f"not an event the gateway sends: {problem}")
        self.model.emit(agent, eventType, content)
        return {"queued": eventType}

    def control_expire_guid(self, agentid: str) -> dict[str, Any]:
        self.model.expire_guid(self._signed_in_agent(agentid))
        return {"expired": agentid}

    def control_rotate_guid(self, agentid: str, grace: float) -> dict[str, Any]:
        self.model.rotate_guid_soon(self._signed_in_agent(agentid), grace)
        return {"rotating": agentid, "grace": grace}

    def _signed_in_agent(self, agent_id: str) -> Agent:
        """The agent, or ControlRefused (the action's refusal status, 404)."""
        if agent_id not in self.model.roster or not self.model.agent(agent_id).signed_in:
            raise ControlRefused(f"agent {agent_id} is not signed in")
        return self.model.agents[agent_id]

    def control_customer_message(self, customer: str, agent: str, text: str, callid: str | None) -> dict[str, Any]:
        return {"callid": self.model.text.customer_writes(customer, agent, text, callid)}

    def control_text_session(self, callid: str) -> dict[str, Any]:
        return self.model.text.describe(callid)

    def control_far_end(self, number: str, behaviour: str) -> dict[str, Any]:
        self.model.set_far_end(number, behaviour)
        return {"number": number, "behaviour": behaviour}

    def control_agent(self, agentid: str) -> dict[str, Any]:
        if agentid not in self.model.roster:
            raise ControlRefused(f"agent {agentid} is not in the roster")
        agent = self.model.agent(agentid)
        return {"agentid": agentid, "signedIn": agent.signed_in, "agentState": agent.state,
                "calls": [{"callid": leg.callid, "state": leg.state, "muted": leg.muted,
                           "parties": [other.number for other in leg.call.others(leg)],
                           "digits": leg.call.digits} for leg in agent.calls],
                "queuedEvents": len(agent.queue), **self.model.inspection.describe(agent),
                "queueStatistics": self.model.queues.agent_statistics(agentid),
                **self.model.recording.describe(agent),
                "conference": self.model.conference.describe(agent)}
