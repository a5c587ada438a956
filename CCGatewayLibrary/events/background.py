"""The thread that keeps one agent's event channel going: the poller's polls or the push listener's heartbeat."""

from __future__ import annotations

import threading
from enum import Enum
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .journal import EventJournal
    from .push import PushRegistration


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


class EventChannel(Protocol):
    """How one signed-in agent's events reach its journal: an `EventPoller` (polling) or a `PushListener` (push
    mode, its heartbeat). The context and the keywords use either through this, never asking which it is."""

    poll_interval: float

    @property
    def registration(self) -> PushRegistration | None:
        """Push mode's sign-in registration; None when polling."""

    @property
    def running(self) -> bool: ...

    def start(self) -> None: ...

    def stop(self, wait: float = 0.0) -> None: ...

    def hold_events(self) -> None:
        """A new sign-in of the agent is on its way: keep what arrives until it is known which session it is for."""

    def resume(self) -> None:
        """The new sign-in was refused: go on as before."""

    def hand_over(self, journal: EventJournal) -> None:
        """The new sign-in succeeded: what still arrives for the old session goes to ``journal``."""
