"""What happened last in the simulator, for its console: the latest gateway requests, control actions and events,
and a signal that anything changed.

Only names, agent IDs, retcodes and times are kept: never a body, a header or an event's content, so no Guid,
password, service token or control token can reach the console through here.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

KEPT = 200  # entries of each kind kept; the console shows the newest of them


class Activity:
    """The simulator's recent requests and events, and who to tell when anything changes."""

    def __init__(self, kept: int = KEPT, clock: Callable[[], float] = time.time) -> None:
        self.requests: deque[dict[str, Any]] = deque(maxlen=kept)
        self.events: deque[dict[str, Any]] = deque(maxlen=kept)
        self._clock = clock
        self._listeners: list[Callable[[], None]] = []
        self._pending_event: tuple[str | None, str] | None = None

    def listen(self, listener: Callable[[], None]) -> Callable[[], None]:
        """Calls ``listener`` (on the simulator's loop) after each change; returns what stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    def request(self, interface: str, agent: str, retcode: str, ms: float, *, kind: str = "gateway") -> None:
        """A gateway request answered (``kind`` gateway) or a control action carried out (``kind`` control, with
        the HTTP status as ``retcode``)."""
        self.requests.append({"time": self._now_ms(), "kind": kind, "interface": interface, "agent": agent or "-",
                              "retcode": retcode, "ms": round(ms, 1)})
        self.changed()

    def event_named(self, cause: str | None, name: str) -> None:
        """The world is about to queue event ``name`` (caused by interface ``cause``); `event_for` names its agent."""
        self._pending_event = (cause, name)

    def event_for(self, agent: str) -> None:
        """The world queued the event `event_named` announced for ``agent``, or (nothing announced) woke the
        agent's poll: a change all the same."""
        if self._pending_event is not None:
            (cause, name), self._pending_event = self._pending_event, None
            self.events.append({"time": self._now_ms(), "event": name, "agent": agent, "cause": cause or "-"})
        self.changed()

    def _now_ms(self) -> int:
        return int(self._clock() * 1000)
