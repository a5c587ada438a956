"""Replaying a recorded session (``record_to=``, see ``CCGatewayLibrary.recording``) as a gateway.

Each agent's requests are answered in the recorded order: the next request of agent 101 must be for the
interface recorded next for agent 101, and gets the recorded reply (a fresh Guid where the recording had one
redacted). A request the recording does not expect gets HTTP 409 with a message naming what it expected.
Control-interface calls are answered from the recording the same way, in their recorded order; ``/health``
answers live, so readiness checks work. The application set-up, the control token guard and ``/health`` are the
live simulator's (shell.py).

Events (and polls that ended in another retcode) go to each agent's polls in their recorded order. Each is
released when the request or control call recorded just before it has been replayed, after the same delay as
in the recording, so an inbound call's events come after ``Simulate Inbound Call``, a hold's after ``hold``.
A replayed sign-in starts a new session, as at a gateway: what the earlier one had not fetched is discarded,
and polls with the earlier session's Guid answer 000-003.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
import uuid
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path
from typing import Any

from aiohttp import web

from ..catalogue import Catalogue, Interface, load_catalogue
from ..catalogue.gateway import POLL_INTERFACE, SUCCESS
from ..jsonfile import MAX_FILE_DEPTH, nested_deeper_than
from ..protocol import CONTROL_PREFIX, GUID_HEADER, LOGGER, RECORDING_FORMAT, REDACTED, SET_GUID_HEADER, set_guid_value
from .shell import SimulatorShell

log = logging.getLogger(LOGGER)
MISMATCH = 409
MIN_STATUS, MAX_STATUS = 100, 599  # what an HTTP reply can carry; aiohttp cannot send others
MAX_DELAY = 30.0  # a recorded pause longer than this (a test waiting out a timeout) is replayed this long


class RecordingError(ValueError):
    """A recording the replay cannot use; the text names the file, the line and the field."""


@dataclass
class Entry:
    line: int
    data: dict[str, Any]
    due: bool = False  # outcomes (events, poll replies): released to the agent's polls
    anchor: int | None = None  # outcomes: the index of the request or control call recorded just before

    @property
    def kind(self) -> str:
        return str(self.data["kind"])

    def describe(self) -> str:
        if self.kind == "control":
            return f"control {self.data['method']} {self.data['path']} (line {self.line})"
        return f"{self.data['interface']} (line {self.line})"


@dataclass
class AgentScript:
    requests: deque[Entry] = field(default_factory=deque)
    outcomes: deque[Entry] = field(default_factory=deque)
    answered: int = 0
    wakeup: asyncio.Event | None = None
    guids: set[str] = field(default_factory=set)  # handed out to the agent's current session
    session: int = 0  # sign-ins replayed so far


def load_recording(path: Path) -> list[Entry]:
    """The recording's entries in time order, or RecordingError naming the file, line and field."""
    entries: list[Entry] = []
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise RecordingError(f"{path}: cannot read the recording: {error}") from None
    required = {"request": ("interface", "agent", "status", "reply"), "event": ("agent", "event"),
                "poll": ("agent", "status", "reply"), "control": ("method", "path", "status", "reply")}
    for number, text in enumerate(lines, 1):
        if not text.strip():
            continue
        if nested_deeper_than(text, MAX_FILE_DEPTH):
            raise RecordingError(f"{path}, line {number}: arrays and objects nest more than {MAX_FILE_DEPTH} levels "
                                 "deep; a recorded line has a few, so this is not a recording: record it again")
        try:
            data = json.loads(text)
        except ValueError as error:
            raise RecordingError(f"{path}, line {number}: not JSON ({error})") from None
        if not isinstance(data, dict):
            raise RecordingError(f"{path}, line {number}: must be a JSON object")
        kind = data.get("kind")
        if kind == "header":
            if data.get("format") != RECORDING_FORMAT:
                raise RecordingError(f"{path}, line {number}: format must be {RECORDING_FORMAT!r}")
            continue
        if kind not in required:
            raise RecordingError(f"{path}, line {number}: kind must be one of header, {', '.join(required)}")
        for name in ("t", *required[kind]):
            if name not in data:
                raise RecordingError(f"{path}, line {number}: field {name!r} is missing (a {kind} line needs "
                                     f"t, {', '.join(required[kind])})")
        if isinstance(data["t"], bool) or not isinstance(data["t"], int | float):
            raise RecordingError(f"{path}, line {number}: field 't' must be seconds (a number)")
        status = data.get("status", HTTPStatus.OK)
        if isinstance(status, bool) or not isinstance(status, int) or not MIN_STATUS <= status <= MAX_STATUS:
            raise RecordingError(f"{path}, line {number}: field 'status' must be an HTTP status, a whole number from "
                                 f"{MIN_STATUS} to {MAX_STATUS}, got {str(status)[:20]!r}; correct or remove the line")
        entries.append(Entry(number, data))
    entries.sort(key=lambda entry: (entry.data["t"], entry.line))
    last_step: int | None = None
    for index, entry in enumerate(entries):
        if entry.kind in ("request", "control"):
            last_step = index
        else:
            entry.anchor = last_step
    return entries


def _fresh_guids(value: Any) -> Any:
    """The reply with each redacted Guid replaced by a new one, so the client has a Guid to send."""
    if isinstance(value, dict):
        return {key: (str(uuid.uuid4()) if key.lower() == "guid" and item == REDACTED else _fresh_guids(item))
                for key, item in value.items()}
    if isinstance(value, list):
        return [_fresh_guids(item) for item in value]
    return value


class ReplaySimulator(SimulatorShell):
    """Answers as the recorded gateway did; served by a `SimulatorRunner` like the simulator."""

    def __init__(self, path: Path, *, poll_wait: float = 10.0, catalogue: Catalogue | None = None,
                 request_log: Callable[[str], None] | None = None, control_token: str | None = None) -> None:
        super().__init__(control_token)
        self.path = Path(path)
        self.entries = load_recording(self.path)
        self.catalogue = catalogue or load_catalogue()
        self.poll_wait = poll_wait
        self.request_log = request_log
        self.scripts: dict[str, AgentScript] = {}
        self.controls: deque[Entry] = deque()
        self.by_anchor: dict[int | None, list[Entry]] = {}
        for index, entry in enumerate(self.entries):
            entry.data["index"] = index
            if entry.kind == "control":
                self.controls.append(entry)
                continue
            script = self.scripts.setdefault(str(entry.data["agent"]), AgentScript())
            if entry.kind == "request":
                script.requests.append(entry)
            else:
                script.outcomes.append(entry)
                self.by_anchor.setdefault(entry.anchor, []).append(entry)
        self.counters_: Counter[str] = Counter()
        self.restart_handler: Callable[[float], Awaitable[None]] | None = None  # set by the runner; not used
        self.restarts = 0
        self._started = False

    def reset(self) -> None:
        self.restarts += 1  # a recorded restart is answered as recorded; the replay itself keeps its place

    # -- releasing events ----------------------------------------------------------------------------
    def _release_after(self, anchor: int | None) -> None:
        """The step ``anchor`` was replayed: its outcomes fall due after their recorded delays."""
        base = self.entries[anchor].data["t"] if anchor is not None else 0.0
        loop = asyncio.get_running_loop()
        for entry in self.by_anchor.get(anchor, []):
            delay = min(max(entry.data["t"] - base, 0.0), MAX_DELAY)
            loop.call_later(delay, self._fall_due, entry)

    def _fall_due(self, entry: Entry) -> None:
        entry.due = True
        wakeup = self.scripts[str(entry.data["agent"])].wakeup
        if wakeup is not None:
            wakeup.set()

    # -- application ---------------------------------------------------------------------------------
    def app(self) -> web.Application:
        app = super().app()
        app.on_startup.append(self._on_startup)
        return app

    def add_control_routes(self, app: web.Application) -> None:
        app.router.add_route("*", CONTROL_PREFIX + "/{tail:.*}", self.control)

    async def _on_startup(self, app: web.Application) -> None:
        if not self._started:  # outcomes recorded before any step (none, normally) are due at once
            self._started = True
            self._release_after(None)

    def _handler(self, interface: Interface) -> Callable[[web.Request], Awaitable[web.Response]]:
        async def handle(request: web.Request) -> web.Response:
            started = time.perf_counter()
            agent = request.match_info.get("agentid", "")
            if interface.name == POLL_INTERFACE:
                response = await self._poll(agent, request.headers.get(GUID_HEADER, ""))
            else:
                response = self._answer(interface, agent)
            self.counters_["requests"] += 1
            if self.request_log is not None:
                self.request_log(f"{time.strftime('%Y-%m-%dT%H:%M:%S')} agent={agent or '-'} {interface.name} "
                                 f"status={response.status} {(time.perf_counter() - started) * 1000:.1f}ms replay")
            return response

        return handle

    def _mismatch(self, text: str) -> web.Response:
        self.counters_["unexpected"] += 1
        log.warning("replay: %s", text)
        return web.json_response({"message": f"replay of {self.path.name}: {text}", "retcode": "replay-mismatch"},
                                 status=MISMATCH)

    def _answer(self, interface: Interface, agent: str) -> web.Response:
        script = self.scripts.get(agent)
        if script is None:
            return self._mismatch(f"agent {agent} sent {interface.name}, but the recording has no requests of "
                                  f"agent {agent} (it has agents {', '.join(sorted(self.scripts)) or 'none'})")
        if not script.requests:
            return self._mismatch(f"agent {agent} sent {interface.name}, but all {script.answered} recorded "
                                  f"requests of agent {agent} were answered already")
        expected = script.requests[0]
        if expected.data["interface"] != interface.name:
            return self._mismatch(f"agent {agent}'s request {script.answered + 1} was expected to be "
                                  f"{expected.describe()}, got {interface.name}")
        script.requests.popleft()
        script.answered += 1
        self.counters_["replayed"] += 1
        reply = _fresh_guids(expected.data["reply"])
        headers = None
        if expected.data.get("setGuid"):
            guid = str(uuid.uuid4())
            headers = {SET_GUID_HEADER: set_guid_value(guid)}
            if interface.sets_guid and interface.name != POLL_INTERFACE and expected.data.get("retcode") == SUCCESS:
                self._new_session(script, expected, guid)
            else:
                script.guids.add(guid)
        if isinstance(reply, dict) and isinstance(reply.get("result"), dict) and "guid" in reply["result"]:
            script.guids.add(str(reply["result"]["guid"]))  # updateGuid: the new one is this session's too
        self._release_after(expected.data["index"])
        return self._respond(expected.data["status"], reply, headers)

    def _new_session(self, script: AgentScript, login: Entry, guid: str) -> None:
        """A sign-in was replayed: what the earlier session did not fetch is gone with it, as at a gateway, and
        its polls (told by their Guid) get 000-003 from now on."""
        script.session += 1
        self._discard_stale(script, login.data["t"])
        script.guids = {guid}
        if script.wakeup is not None:
            script.wakeup.set()

    @staticmethod
    def _respond(status: int, reply: Any, headers: dict[str, str] | None = None) -> web.Response:
        if isinstance(reply, dict | list):
            return web.json_response(reply, status=status, headers=headers)
        return web.Response(text=str(reply or ""), status=status, headers=headers)

    def _discard_stale(self, script: AgentScript, since: float) -> None:
        """Drops outcomes of the agent's earlier sessions (those recorded before ``since`` when a recording has no
        sessions), also one that came in after the next sign-in: a signed-out session's last poll."""
        stale = [entry for entry in script.outcomes
                 if (entry.data["session"] < script.session if isinstance(entry.data.get("session"), int)
                     else entry.data["t"] < since)]
        for entry in stale:
            script.outcomes.remove(entry)
        self.counters_["discarded"] += len(stale)

    async def _poll(self, agent: str, guid: str) -> web.Response:
        script = self.scripts.get(agent)
        if script is None:
            return self._mismatch(f"agent {agent} polled, but the recording has no agent {agent}")
        if script.wakeup is None:
            script.wakeup = asyncio.Event()
        deadline = time.monotonic() + self.poll_wait
        while True:
            if guid not in script.guids:  # an earlier session's poll: its events went with it
                return web.json_response({"message": "replay: the Guid of an earlier session", "retcode": "000-003"})
            head = script.outcomes[0] if script.outcomes else None
            if head is not None and isinstance(head.data.get("session"), int) and head.data["session"] < script.session:
                self._discard_stale(script, 0.0)
                continue
            if head is not None and head.due:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return web.json_response({"message": "", "retcode": SUCCESS, "event": None})
            script.wakeup.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(script.wakeup.wait(), remaining)
        entry = script.outcomes.popleft()
        self.counters_["delivered"] += 1
        if entry.kind == "event":
            return web.json_response({"message": "", "retcode": SUCCESS, "event": entry.data["event"]})
        return self._respond(entry.data["status"], entry.data["reply"])

    # -- control interface ---------------------------------------------------------------------------
    def health_facts(self) -> dict[str, Any]:
        return {"replay": str(self.path), "agents": len(self.scripts)}

    async def control(self, request: web.Request) -> web.Response:
        path = request.raw_path[len(CONTROL_PREFIX):]  # as the client quoted it, query included
        if not self.controls:
            return self._mismatch(f"control {request.method} {path} came, but every recorded control call was "
                                  "answered already")
        expected = self.controls[0]
        if (expected.data["method"], expected.data["path"]) != (request.method, path):
            return self._mismatch(f"control call {request.method} {path} came, but the next one recorded is "
                                  f"{expected.describe()}")
        self.controls.popleft()
        self.counters_["replayed"] += 1
        if path == "/restart" and expected.data["status"] == 202:
            self.reset()  # readiness after a restart is judged by the count of restarts
        self._release_after(expected.data["index"])
        return self._respond(expected.data["status"], expected.data["reply"])

    def counters(self) -> dict[str, Any]:
        """Requests served, steps replayed, outcomes delivered, unexpected requests, and what is left."""
        left = sum(len(script.requests) for script in self.scripts.values()) + len(self.controls)
        return {"requests": self.counters_["requests"], "replayed": self.counters_["replayed"],
                "delivered": self.counters_["delivered"], "discarded": self.counters_["discarded"],
                "unexpected": self.counters_["unexpected"],
                "left": left, "undelivered": sum(len(script.outcomes) for script in self.scripts.values())}
