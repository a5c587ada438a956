"""Faults the simulator injects on request, for testing how a client copes with a misbehaving gateway."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

# What a fault does to the next matching request:
#   delay     answer after ``value`` seconds (the request is carried out)
#   http      answer HTTP ``value`` (500, 502, ...) without carrying it out
#   not-json  answer HTTP 200 with an HTML body, without carrying it out
#   retcode   answer retcode ``value`` without carrying it out
#   drop      carry the request out, then close the connection without a reply (a poll's event is lost with it)
#   restart   the gateway restarts under this request: no reply, every session lost, the port closed ``value`` s
# and, on the pseudo-interface ``push`` (the simulator's pushes of events to a push-mode agent's callback):
#   delay        push ``value`` seconds late
#   drop         take the events from the queue and never send them (counted as lost)
#   duplicate    deliver the push twice
#   unreachable  the callback cannot be reached for this attempt (the push is tried again, see push.py)
REQUEST_KINDS = ("delay", "http", "not-json", "retcode", "drop", "restart")
PUSH = "push"
PUSH_KINDS = ("delay", "drop", "duplicate", "unreachable")
KINDS = tuple(dict.fromkeys(REQUEST_KINDS + PUSH_KINDS))

MAX_DOWNTIME = 60.0  # seconds a restart may keep the port closed


class FaultError(ValueError):
    """A fault the simulator cannot inject; the text says why."""


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


def parse_fault(data: Any, interfaces: set[str]) -> Fault:
    """A fault from the control interface's JSON body, or FaultError naming the field and the rule."""
    if not isinstance(data, dict):
        raise FaultError("body must be a JSON object with fault, interface, agent, value and count")
    kind, interface = data.get("fault"), str(data.get("interface", "*"))
    if kind not in KINDS:
        raise FaultError(f"fault must be one of {', '.join(KINDS)}")
    if interface not in ("*", PUSH) and interface not in interfaces:
        raise FaultError(f"interface must be a log name of the catalogue, 'push' or '*', got {interface[:40]!r}")
    if interface == PUSH and kind not in PUSH_KINDS:
        raise FaultError(f"fault on 'push' must be one of {', '.join(PUSH_KINDS)}")
    if interface != PUSH and kind not in REQUEST_KINDS:
        raise FaultError(f"fault {kind} applies to interface 'push' only")
    count = data.get("count", 1)
    if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 10_000:
        raise FaultError("count must be a whole number from 1 to 10000")
    value = data.get("value")
    if kind == "delay" and not (isinstance(value, int | float) and not isinstance(value, bool) and 0 < value <= 600):
        raise FaultError("value must be the delay in seconds, more than 0 and at most 600")
    if kind == "http" and not (isinstance(value, int) and 400 <= value <= 599):
        raise FaultError("value must be an HTTP error status from 400 to 599")
    if kind == "restart" and not (value is None or (isinstance(value, int | float) and not isinstance(value, bool)
                                                    and 0 <= value <= MAX_DOWNTIME)):
        raise FaultError(f"value must be the seconds the port stays closed, 0 to {MAX_DOWNTIME:g}")
    if kind == "retcode" and not (isinstance(value, str) and 0 < len(value) <= 10):
        raise FaultError("value must be a retcode such as \"100-007\"")
    return Fault(kind, interface, str(data.get("agent", "*"))[:24], value, count)
