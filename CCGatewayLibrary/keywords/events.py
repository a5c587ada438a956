from __future__ import annotations

import time
from datetime import timedelta
from typing import Any

from robot.api import logger
from robot.api.deco import keyword

from ..errors import CCGatewayError, EventTimeoutError
from ..events import FieldFilter, RecordedEvent
from .base import LibraryComponent, robot_time, seconds

SHOWN_EVENTS = 15


class EventKeywords(LibraryComponent):
    """Waiting for events and reading an agent's event history."""

    @keyword(tags=["events", "getAgentEvent"])
    def wait_for_event(self, event: str, timeout: timedelta | None = None, agent: str | None = None,
                       **filters: str) -> dict[str, Any]:
        """Waits until the agent receives ``event`` and returns it.

        The library polls every signed-in agent's events in the background and keeps them all. This keyword
        looks at the events after the last one it returned for the agent, so an event that arrived before
        the keyword was called is found, and no event is returned twice. Events passed over stay in
        `Get Event History`.

        ``filters`` are ``name=value`` pairs on the event's fields: a plain name is looked up in the event's
        ``content`` (for events whose content is a bare call ID, ``callid`` matches the content), a dotted
        name such as ``content.partner`` from the top of the event. A value starting with ``regexp:`` is a
        regular expression that must match the whole value.

        ``timeout`` defaults to the library's ``event_timeout`` (10 seconds). On timeout the failure lists
        what did arrive. The returned event has ``eventType``, ``workNo`` and ``content``.

        | `Wait For Event` | AgentState_Ready |
        | ${event} = | `Wait For Event` | AgentEvent_Conference | callid=${customer} | timeout=5s |
        | `Wait For Event` | AgentEvent_Talking | caller=regexp:8888.* | agent=second |
        """
        handle = self.ctx.agent(agent)
        self.ctx.catalogue.check_event_name(event)
        wanted = [FieldFilter.parse(f"{name}={value}") for name, value in filters.items()]
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        started = time.monotonic()

        def matches(recorded: RecordedEvent) -> bool:
            return recorded.name == event and all(f.matches(recorded.event) for f in wanted)

        found, passed = handle.journal.wait_for(handle.cursor, matches, limit)
        description = event + (f" with {', '.join(map(str, wanted))}" if wanted else "")
        if found is None:
            raise EventTimeoutError(self._timeout_message(handle, description, limit, passed))
        waited = time.monotonic() - started
        skipped = f" Passed over: {_names(passed)}." if passed else ""
        logger.info(f"{found.describe()} arrived for {handle.describe()} (waited {waited:.2f} s).{skipped}")
        logger.debug(f"Event: {found.event}")
        if found.schema_problem:
            raise CCGatewayError(f"{found.describe()} does not match its schema: {found.schema_problem}")
        return found.event

    @keyword(tags=["events"])
    def get_event_history(self, agent: str | None = None) -> list[dict[str, Any]]:
        """Returns every event the agent has received so far, oldest first.

        Each item has ``seq`` (1, 2, ... in arrival order), ``eventType``, ``received`` (local time) and
        ``event`` (the event as the gateway sent it).

        | ${history} = | `Get Event History` |
        | Length Should Be | ${history} | 2 |
        """
        handle = self.ctx.agent(agent)
        history = [{"seq": r.seq, "eventType": r.name, "received": r.received.isoformat(timespec="milliseconds"),
                    "event": r.event} for r in handle.journal.events()]
        logger.info(f"{len(history)} events for {handle.describe()}: {_names(handle.journal.events()) or 'none'}")
        return history

    def _timeout_message(self, handle: Any, description: str, limit: float, passed: list[RecordedEvent]) -> str:
        arrived = f"Arrived meanwhile: {_names(passed)}." if passed else "No other event arrived."
        if handle.journal.closed_reason:
            return (f"{description} cannot arrive for {handle.describe()} any more: event polling ended "
                    f"({handle.journal.closed_reason}). {arrived}")
        message = f"{description} did not arrive for {handle.describe()} in {robot_time(limit)}. {arrived}"
        problems = handle.journal.problems()
        if problems:
            message += f" Last polling problem: {problems[-1].text}."
        return message


def _names(events: list[RecordedEvent]) -> str:
    shown = ", ".join(r.describe() for r in events[-SHOWN_EVENTS:])
    return (f"... {len(events) - SHOWN_EVENTS} earlier, " if len(events) > SHOWN_EVENTS else "") + shown
