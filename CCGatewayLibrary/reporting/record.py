"""An in-memory record of the requests of the running test, for the sequence diagram.

Only what the diagram shows is kept: when, for which agent, which interface, the HTTP status, the retcode
and the time taken. Never a header, a body or a Guid.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Any

MAX_RECORDED = 5000  # per test; a diagram shows far fewer rows, the rest is only counted


@dataclass(frozen=True)
class RecordedRequest:
    started: datetime
    agent_id: str
    interface: str
    status: int | None = None  # None: no reply (connection, TLS or timeout failure)
    retcode: str | None = None
    elapsed_ms: float | None = None


class RequestRecorder:
    """Collects the requests sent between `start` and `finish` (one test); idle, and costless, otherwise."""

    def __init__(self) -> None:
        self.enabled = True
        self._lock = threading.Lock()
        self._active = False
        self._requests: list[RecordedRequest] = []
        self._dropped = 0

    def start(self) -> None:
        with self._lock:
            self._active = self.enabled
            self._requests, self._dropped = [], 0

    def finish(self) -> tuple[list[RecordedRequest], int]:
        """The requests recorded since `start` and how many more were not kept; recording stops."""
        with self._lock:
            taken, dropped = self._requests, self._dropped
            self._active, self._requests, self._dropped = False, [], 0
            return taken, dropped

    def request(self, started: datetime, agent_id: str, interface: str, exchange: Any | None) -> None:
        """Notes one request; ``exchange`` is the transport's reply (None when none came)."""
        if not self._active:
            return
        if exchange is None:
            entry = RecordedRequest(started, str(agent_id), interface)
        else:
            reply = exchange.json if isinstance(exchange.json, dict) else {}
            retcode = reply.get("retcode")
            entry = RecordedRequest(started, str(agent_id), interface, exchange.status,
                                    None if retcode is None else str(retcode), exchange.elapsed_ms)
        with self._lock:
            if not self._active:
                return
            if len(self._requests) < MAX_RECORDED:
                self._requests.append(entry)
            else:
                self._dropped += 1
