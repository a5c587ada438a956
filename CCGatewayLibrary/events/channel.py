"""The seam between an agent's session and the thread that brings its events, whichever mode it is in."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .journal import EventJournal
    from .push import PushRegistration


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
