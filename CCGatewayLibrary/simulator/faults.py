"""Faults the simulator injects on request, for testing how a client copes with a misbehaving gateway.

Each kind of fault is declared once, in `FAULT_KINDS`: what it does to a request and to a push, and the rule for
its value. The control interface's checks, the ``Simulate Fault`` keyword's conversion of its ``value`` argument
and its documentation come from here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

MAX_DOWNTIME = 60.0  # seconds a restart may keep the port closed
MAX_DELAY = 600.0  # seconds a delay fault may hold a request or a push
PUSH = "push"  # the pseudo-interface of the simulator's pushes of events to a push-mode agent's callback


class FaultError(ValueError):
    """A fault the simulator cannot inject; the text says why."""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class FaultValue:
    """The rule for a fault's ``value``: what it must be (``rule``, in words), how a keyword's text becomes one
    (``convert``) and whether a value is acceptable (``accepts``)."""

    rule: str
    convert: Callable[[str], Any]
    accepts: Callable[[Any], bool]
    optional: bool = False

    def check(self, value: Any) -> None:
        if not ((value is None and self.optional) or (value is not None and self.accepts(value))):
            raise FaultError(f"value must be {self.rule}")

    def from_text(self, text: str | None) -> Any:
        """The value for the keyword's text, or FaultError naming the rule."""
        if text is None:
            self.check(None)
            return None
        try:
            value = self.convert(text.strip())
        except ValueError:
            raise FaultError(f"value must be {self.rule}, got {text[:40]!r}") from None
        self.check(value)
        return value


@dataclass(frozen=True)
class FaultKind:
    name: str
    on_request: str | None  # what the next matching request gets, or None when the kind is for pushes only
    on_push: str | None  # what the next push does, or None when the kind is for requests only
    value: FaultValue | None = None  # None: the kind takes no value
    before_serving: bool = True  # on a request: decided when it arrives (a drop is decided when its reply is ready)


SECONDS = FaultValue(f"the delay in seconds, more than 0 and at most {MAX_DELAY:g}", float,
                     lambda value: _is_number(value) and 0 < value <= MAX_DELAY)
FAULT_KINDS: dict[str, FaultKind] = {kind.name: kind for kind in (
    FaultKind("delay", "its reply after ``value`` seconds", "it is sent ``value`` seconds late", SECONDS),
    FaultKind("http", "HTTP ``value`` (for example 502), and is not carried out", None,
              FaultValue("an HTTP error status from 400 to 599", int,
                         lambda value: isinstance(value, int) and not isinstance(value, bool) and 400 <= value <= 599)),
    FaultKind("not-json", "an HTML page with HTTP 200, and is not carried out", None),
    FaultKind("retcode", "retcode ``value``, and is not carried out", None,
              FaultValue('a retcode such as "100-007" (1 to 10 characters)', str,
                         lambda value: isinstance(value, str) and 0 < len(value) <= 10)),
    FaultKind("drop", "carried out, then the connection closes without a reply (a poll's event is lost with it)",
              "its events leave the queue unsent (counted as ``lost``; the library cannot see it)",
              before_serving=False),
    FaultKind("restart", "no reply: the simulator restarts (`Restart Gateway Simulator`), down ``value`` seconds",
              None, FaultValue(f"the seconds the port stays closed, 0 to {MAX_DOWNTIME:g}", float,
                               lambda value: _is_number(value) and 0 <= value <= MAX_DOWNTIME, optional=True)),
    FaultKind("duplicate", None, "it is delivered twice; the library records its events once"),
    FaultKind("unreachable", None, "the callback cannot be reached; tried again after 0.5, 1, 2 s, then ``lost``"),
)}
KINDS = tuple(FAULT_KINDS)
REQUEST_KINDS = tuple(name for name, kind in FAULT_KINDS.items() if kind.on_request is not None)
PUSH_KINDS = tuple(name for name, kind in FAULT_KINDS.items() if kind.on_push is not None)
BEFORE_SERVING = tuple(name for name in REQUEST_KINDS if FAULT_KINDS[name].before_serving)
MAX_COUNT = 10_000


@dataclass
class Fault:
    kind: str
    interface: str  # a log name, or "*" for any
    agent: str  # an agent ID, or "*" for any
    value: Any = None
    count: int = 1  # how many requests it applies to

    def matches(self, interface: str, agent: str) -> bool:
        return self.count > 0 and self.interface in ("*", interface) and self.agent in ("*", agent)

    def describe(self) -> dict[str, Any]:
        return {"fault": self.kind, "interface": self.interface, "agent": self.agent, "value": self.value,
                "count": self.count}


def check_kind(kind: Any, interface: str) -> FaultKind:
    """The kind named ``kind`` if it applies to ``interface`` (a log name, ``push`` or ``*``), else FaultError."""
    if kind not in FAULT_KINDS:
        raise FaultError(f"fault must be one of {', '.join(KINDS)}")
    if interface == PUSH and kind not in PUSH_KINDS:
        raise FaultError(f"fault on 'push' must be one of {', '.join(PUSH_KINDS)}")
    if interface != PUSH and kind not in REQUEST_KINDS:
        raise FaultError(f"fault {kind} applies to interface 'push' only")
    return FAULT_KINDS[kind]


def parse_fault(data: Any, interfaces: set[str]) -> Fault:
    """A fault from the control interface's JSON body, or FaultError naming the field and the rule."""
    if not isinstance(data, dict):
        raise FaultError("body must be a JSON object with fault, interface, agent, value and count")
    interface = str(data.get("interface", "*"))
    if data.get("fault") in FAULT_KINDS and interface not in ("*", PUSH) and interface not in interfaces:
        raise FaultError(f"interface must be a log name of the catalogue, 'push' or '*', got {interface[:40]!r}")
    kind = check_kind(data.get("fault"), interface)
    count = data.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
        raise FaultError(f"count must be a whole number from 1 to {MAX_COUNT}")
    value = data.get("value")
    if kind.value is not None:
        kind.value.check(value)
    return Fault(kind.name, interface, str(data.get("agent", "*"))[:24], value, count)


def table(side: str) -> str:
    """The kinds for ``side`` (``request`` or ``push``) as rows of a Robot documentation table."""
    rows = [(name, kind.on_request if side == "request" else kind.on_push) for name, kind in FAULT_KINDS.items()]
    return "\n".join(f"| ``{name}`` | {effect} |" for name, effect in rows if effect is not None)
