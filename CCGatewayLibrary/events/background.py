"""The thread that keeps one agent's event channel going: the poller's polls or the push listener's heartbeat."""

from __future__ import annotations

import threading
from enum import Enum


class Outcome(Enum):
    """What one poll or one heartbeat came to; the loop that sent it decides from this when to send the next."""

    EVENT = "event"  # a poll brought events: poll again at once, more may be queued
    EMPTY = "empty"  # a poll brought none, or must be sent again with a renewed Guid: pause as usual
    OK = "ok"  # a heartbeat was answered with success
    ERROR = "error"  # it failed: noted in the journal, the next one is sent sooner (backing off)
    STOP = "stop"  # the session is over, or the thread was asked to stop


class AgentThread:
    """Starts ``_run`` in a daemon thread; ``stop`` asks it to end and may wait for it."""

    def __init__(self, name: str) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def _run(self) -> None:
        raise NotImplementedError

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait and self._thread.is_alive():
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

