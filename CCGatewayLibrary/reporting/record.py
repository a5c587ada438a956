"""An in-memory record of the running test's requests and simulator actions, for the sequence diagram.

Only what the diagram shows is kept: when, for which agent, which interface and which keyword sent it, the
HTTP status, the retcode and the time taken; for a simulator action, its name, its agent and a short
description. Never a header, a body, a Guid or an event's content.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ..catalogue.gateway import SUCCESS

MAX_RECORDED = 5000  # requests per test; a diagram shows far fewer rows, the rest is only counted
MAX_ACTIONS = 500  # simulator actions per test, for the same reason


@dataclass(frozen=True)
class RecordedRequest:
    started: datetime
    agent_id: str
    interface: str
    status: int | None = None  # None: no reply (connection, TLS or timeout failure)
    retcode: str | None = None
    elapsed_ms: float | None = None
    keyword: str | None = None  # the library keyword that sent it; None for a background poll or heartbeat


@dataclass(frozen=True)
class SimulatorAction:
    """Something the test made the simulator do through its control interface (a restart, a fault, a call)."""

    at: datetime
    action: str  # the control action's name (simulator/control.py CONTROL_ACTIONS)
    description: str  # short words for the diagram; never an event's content
    agent_id: str | None = None  # the agent it concerns, when one
    parties: tuple[str, ...] = ()  # far-end numbers it concerns (the caller of a simulated call, say)
    refused: bool = False  # the simulator answered with an error status


MESSAGE_CHARS = 20  # a text message can hold personal data: the diagram shows at most its first characters


def shortened(text: object) -> str:
    """At most the first MESSAGE_CHARS characters of a text message, quoted, with an ellipsis when cut."""
    words = " ".join(str(text).split())
    cut = "\u2026" if len(words) > MESSAGE_CHARS else ""
    return f"\u201c{words[:MESSAGE_CHARS]}{cut}\u201d"


def _fields(*names: str) -> Callable[[Mapping[str, Any]], str]:
    return lambda given: " ".join(str(given[name]) for name in names if given.get(name) not in (None, ""))


# What each control action that changes the simulator reads as in the diagram, from its arguments (path, query
# and body fields by name). An action missing here is drawn with its name alone.
DESCRIPTIONS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    "restart": lambda a: f"restart, port closed {float(a.get('downtime') or 0):g} s",
    "add_fault": lambda a: f"fault {_fields('fault', 'value')(a)} on next {a.get('count') or 1} "
                           f"{a.get('interface') or '*'}",
    "clear_faults": lambda a: "faults cleared",
    "expire_guid": lambda a: "Guid expired",
    "rotate_guid": lambda a: f"Guid rotated on next reply, grace {float(a.get('grace') or 0):g} s",
    "queue_event": lambda a: f"event {a.get('eventType')} queued",
    "offer_call": lambda a: f"inbound call from {a.get('caller')}",
    "queue_call": lambda a: f"call from {a.get('caller')} to " + (f"skill queue {a['skill']}" if a.get("skill")
                                                                    else f"access code {a.get('access_code')}")
                            + (f", gives up after {a['patience']} s" if a.get("patience") is not None else ""),
    "give_up": lambda a: f"caller of call {a.get('callid')} gives up",
    "hang_up": lambda a: f"{a.get('number') or 'customer'} hangs up call {a.get('callid')}",
    "far_end": lambda a: f"far end {a.get('number')}: {a.get('behaviour')}",
    "customer_message": lambda a: f"{a.get('customer')} writes {shortened(a.get('text'))}",
}
# The argument naming the agent an action concerns, and those naming far ends.
AGENT_FIELDS = ("agentid", "agent")
PARTY_FIELDS = {"offer_call": ("caller",), "queue_call": ("caller",), "hang_up": ("number",), "far_end": ("number",),
                "customer_message": ("customer",)}


def simulator_action(call: Mapping[str, Any]) -> SimulatorAction | None:
    """The diagram's view of one control call as `SimulatorControl` reports it to its ``observe`` hook (``action``,
    ``arguments``, ``method``, ``started`` on the monotonic clock, ``status``); None for one that only reads."""
    name, method = call.get("action"), call.get("method")
    if not isinstance(name, str) or method == "GET":
        return None
    arguments: Mapping[str, Any] = call.get("arguments") or {}
    # The journal's clock is the wall clock; the control client times the call on the monotonic one.
    at = datetime.now() - timedelta(seconds=max(0.0, time.monotonic() - float(call.get("started", time.monotonic()))))
    describe = DESCRIPTIONS.get(name)
    description = describe(arguments) if describe is not None else name.replace("_", " ")
    agent = next((str(arguments[f]) for f in AGENT_FIELDS if arguments.get(f) not in (None, "", "*")), None)
    parties = tuple(str(arguments[f]) for f in PARTY_FIELDS.get(name, ()) if arguments.get(f) not in (None, ""))
    status = call.get("status")
    return SimulatorAction(at, name, description, agent, parties, isinstance(status, int) and status >= 400)


class RequestRecorder:
    """Collects the requests sent and simulator actions taken between `start` and `finish` (one test); idle, and
    costless, otherwise. Requests sent on the thread that runs keywords are labelled with the running keyword."""

    def __init__(self) -> None:
        self.enabled = True
        self._lock = threading.Lock()
        self._active = False
        self._requests: list[RecordedRequest] = []
        self._actions: list[SimulatorAction] = []
        self._dropped = 0
        self._keywords: list[str] = []  # library keywords running, innermost last
        self._keyword_thread: int | None = None

    def start(self) -> None:
        with self._lock:
            self._active = self.enabled
            self._requests, self._actions, self._dropped = [], [], 0

    def finish(self) -> tuple[list[RecordedRequest], int]:
        """The requests recorded since `start` and how many more were not kept; recording stops. The simulator
        actions stay until `actions` takes them or the next `start`."""
        with self._lock:
            taken, dropped = self._requests, self._dropped
            self._active, self._requests, self._dropped = False, [], 0
            return taken, dropped

    def actions(self) -> list[SimulatorAction]:
        """The simulator actions recorded since `start` (taken: a second call gives none)."""
        with self._lock:
            taken, self._actions = self._actions, []
            return taken

    def keyword_started(self, name: str) -> None:
        """A library keyword starts on the thread that runs keywords (Robot's main thread)."""
        with self._lock:
            self._keywords.append(name)
            self._keyword_thread = threading.get_ident()

    def keyword_ended(self) -> None:
        with self._lock:
            if self._keywords:
                self._keywords.pop()

    def _keyword(self) -> str | None:
        """The innermost running keyword, for a request sent on its thread; pollers run on threads of their own."""
        if self._keywords and self._keyword_thread == threading.get_ident():
            return self._keywords[-1]
        return None

    def request(self, started: datetime, agent_id: str, interface: str, exchange: Any | None) -> None:
        """Notes one request; ``exchange`` is the transport's reply (None when none came)."""
        if not self._active:
            return
        keyword = self._keyword()
        if exchange is None:
            entry = RecordedRequest(started, str(agent_id), interface, keyword=keyword)
        else:
            reply = exchange.json if isinstance(exchange.json, dict) else {}
            # A download's file is its success (it carries no retcode).
            retcode = SUCCESS if getattr(exchange, "is_file", False) else reply.get("retcode")
            entry = RecordedRequest(started, str(agent_id), interface, exchange.status,
                                    None if retcode is None else str(retcode), exchange.elapsed_ms, keyword)
        with self._lock:
            if not self._active:
                return
            if len(self._requests) < MAX_RECORDED:
                self._requests.append(entry)
            else:
                self._dropped += 1

    def control(self, call: Mapping[str, Any]) -> None:
        """Notes a simulator control call, as `SimulatorControl` reports it to its ``observe`` hook."""
        if not self._active:
            return
        action = simulator_action(call)
        with self._lock:
            if action is not None and self._active and len(self._actions) < MAX_ACTIONS:
                self._actions.append(action)
