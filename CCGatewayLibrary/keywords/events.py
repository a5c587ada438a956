from __future__ import annotations

import time
from datetime import timedelta
from typing import Any, cast

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword

from ..errors import CCGatewayError, EventArrivedError, EventTimeoutError
from ..events import Cursor, FieldFilter, RecordedEvent
from ..events.matching import MISSING
from ..scopes import Scope
from .base import LibraryComponent, robot_time, seconds
from .returns import EventRecord, GatewayEvent, PushEndpoint

SHOWN_EVENTS = 15


class EventKeywords(LibraryComponent):
    """Waiting for events and reading an agent's event history."""

    @keyword(tags=["events", "getAgentEvent"])
    def wait_for_event(self, event: str, timeout: timedelta | None = None, agent: str | None = None,
                       count: int = 1, **filters: str) -> GatewayEvent | list[GatewayEvent]:
        """Waits until the agent receives ``event`` and returns it.

        The library polls every signed-in agent's events in the background and keeps them all. This keyword
        looks at the events after the last one it returned for the agent, so an event that arrived before
        the keyword was called is found, and no event is returned twice. Events passed over stay in
        `Get Event History`.

        ``filters`` are ``name=value`` pairs on the event's fields: a plain name is looked up in the event's
        ``content`` (for events whose content is a bare call ID, ``callid`` matches the content), a dotted
        name such as ``content.partner`` from the top of the event. A value starting with ``regexp:`` is a
        regular expression that must match the whole value. A field the event's schema does not have fails at
        once, naming the fields it has.

        ``count`` waits for that many matching events; with ``count`` 2 or more the keyword returns a list of
        events, with the default 1 the event itself.

        ``timeout`` defaults to the library's ``event_timeout`` (10 seconds). On timeout the failure lists
        what did arrive and, for events of the wanted name, which filter did not match and the value it had.
        The returned event has ``eventType``, ``workNo`` and ``content``.

        | `Wait For Event` | AgentState_Ready |
        | ${event} = | `Wait For Event` | AgentEvent_Conference | callid=${customer} | timeout=5s |
        | `Wait For Event` | AgentEvent_Talking | caller=regexp:8888.* | agent=second |
        | ${two} = | `Wait For Event` | AgentState_SetNotReady_Success | count=2 |
        """
        if count < 1:
            raise CCGatewayError(f"count must be 1 or more, got {count}.")
        handle = self.ctx.agent(agent)
        wanted = self._filters(event, filters)
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        deadline = time.monotonic() + limit
        found: list[RecordedEvent] = []
        for _ in range(count):
            found.append(self._next(handle, event, wanted, deadline, limit, len(found), count))
        events = [cast(GatewayEvent, recorded.event) for recorded in found]
        return events[0] if count == 1 else events

    def _filters(self, event: str, filters: dict[str, str]) -> list[FieldFilter]:
        self.ctx.catalogue.check_event_name(event)
        wanted = [FieldFilter.parse(f"{name}={value}") for name, value in filters.items()]
        known = self.ctx.catalogue.event_fields(event)
        if known is not None:
            for item in wanted:
                if item.field.split(".")[-1] not in known:
                    raise CCGatewayError(f"{event} has no field '{item.field}' to filter on; its fields are "
                                         f"{', '.join(sorted(known))}.")
        return wanted

    def _next(self, handle: Any, event: str, wanted: list[FieldFilter], deadline: float, limit: float,
              already: int, count: int) -> RecordedEvent:
        started = time.monotonic()

        def matches(recorded: RecordedEvent) -> bool:
            return recorded.name == event and all(f.matches(recorded.event) for f in wanted)

        found, passed = handle.journal.wait_for(handle.cursor, matches, max(0.0, deadline - started))
        description = event + (f" with {', '.join(map(str, wanted))}" if wanted else "")
        if found is None:
            so_far = f" ({already} of {count} arrived)" if count > 1 else ""
            raise EventTimeoutError(self._timeout_message(handle, description + so_far, limit, passed, wanted))
        waited = time.monotonic() - started
        skipped = f" Passed over: {_names(passed)}." if passed else ""
        logger.info(f"{found.describe()} arrived for {handle.describe()} (waited {waited:.2f} s).{skipped}")
        logger.debug(f"Event: {found.event}")
        if found.schema_problem:
            raise CCGatewayError(f"{found.describe()} does not match its schema: {found.schema_problem}")
        return found

    @keyword(tags=["events", "getAgentEvent"])
    def event_should_not_arrive(self, event: str, within: timedelta = timedelta(seconds=1),
                                agent: str | None = None, **filters: str) -> None:
        """Fails if the agent receives ``event`` (with ``filters``, as in `Wait For Event`) within ``within``,
        naming the event that came. Events already received and not yet returned by a wait count too.

        The wait position does not move, so a later `Wait For Event` still sees every event.

        | `Sign Out Agent` | agent=second |
        | `Event Should Not Arrive` | AgentEvent_Ringing | within=2s | agent=first |
        """
        handle = self.ctx.agent(agent)
        wanted = self._filters(event, filters)
        probe = Cursor(handle.cursor.position)
        found, _ = handle.journal.wait_for(
            probe, lambda r: r.name == event and all(f.matches(r.event) for f in wanted), within.total_seconds())
        description = event + (f" with {', '.join(map(str, wanted))}" if wanted else "")
        if found is not None:
            raise EventArrivedError(f"{found.describe()} arrived for {handle.describe()} within "
                                    f"{robot_time(within.total_seconds())}, and should not have: {found.event}")
        logger.info(f"{description} did not arrive for {handle.describe()} in {robot_time(within.total_seconds())}.")

    @keyword(tags=["events", "getAgentEvent"])
    def event_count_should_be(self, expected: int, event: str, agent: str | None = None,
                              timeout: timedelta | None = None, settle: timedelta = timedelta(seconds=0.5),
                              **filters: str) -> list[GatewayEvent]:
        """Fails unless the agent received exactly ``expected`` events ``event`` (with ``filters``, as in
        `Wait For Event`) in the current test, and returns them.

        Counting starts where the test started, where the agent signed in during the test, or at the last
        `Clear Events`, whichever is latest. The keyword waits up to ``timeout`` (default: the event timeout)
        for ``expected`` events to arrive, then ``settle`` longer for any further one, since an extra event may
        still be on its way. The wait position does not move: later waits still see every event.

        | `Hold Call` |
        | `Retrieve Call` |
        | `Hold Call` |
        | `Event Count Should Be` | 2 | AgentEvent_Hold | callid=${customer} |
        | `Event Count Should Be` | 0 | AgentEvent_Ringing | agent=second | settle=2s |
        """
        if expected < 0:
            raise CCGatewayError(f"Event Count Should Be: expected must be 0 or more, got {expected}.")
        handle = self.ctx.agent(agent)
        wanted = self._filters(event, filters)

        def matches(recorded: RecordedEvent) -> bool:
            return recorded.name == event and all(f.matches(recorded.event) for f in wanted)

        probe = Cursor(handle.counted_from)
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        deadline = time.monotonic() + limit
        found: list[RecordedEvent] = []
        while len(found) < expected:
            recorded, _ = handle.journal.wait_for(probe, matches, max(0.0, deadline - time.monotonic()))
            if recorded is None:
                break
            found.append(recorded)
        if len(found) == expected:
            extra, _ = handle.journal.wait_for(probe, matches, settle.total_seconds())
            if extra is not None:
                found.append(extra)
                found += [r for r in handle.journal.events(extra.seq) if matches(r)]
        description = event + (f" with {', '.join(map(str, wanted))}" if wanted else "")
        if len(found) != expected:
            listed = f": {', '.join(r.describe() for r in found[:SHOWN_EVENTS])}" if found else ""
            waited = robot_time(limit) if len(found) < expected else \
                f"{robot_time(limit)} and {robot_time(settle.total_seconds())} more"
            raise CCGatewayError(f"{description} arrived {len(found)} time(s) for {handle.describe()} in this test "
                                 f"(waited {waited}), expected {expected}{listed}.")
        logger.info(f"{description} arrived {expected} time(s) for {handle.describe()} in this test.")
        return [cast(GatewayEvent, recorded.event) for recorded in found]

    @keyword(tags=["events", "getAgentEvent"])
    def wait_for_events_in_order(self, *events: str, timeout: timedelta | None = None,
                                 agent: str | None = None) -> list[GatewayEvent]:
        """Waits until the agent has received ``events`` in this order and returns them; other events may come
        in between. Each item is an event name, optionally followed by filters separated by spaces, as
        ``AgentEvent_Talking callid=${customer}``. ``timeout`` bounds the whole wait.

        On failure the message shows which events were found in order, which one did not follow, and every
        event that arrived meanwhile.

        | `Wait For Events In Order` | AgentEvent_Call_Release | AgentEvent_Customer_Release | AgentState_Ready |
        | `Wait For Events In Order` | AgentEvent_Hold callid=${customer} | AgentEvent_Talking | timeout=5s |
        """
        if not events:
            raise CCGatewayError("Wait For Events In Order needs at least one event.")
        handle = self.ctx.agent(agent)
        steps = []
        for item in events:
            name, *pairs = item.split()
            steps.append((name, self._filters(name, dict(p.partition("=")[::2] for p in pairs))))
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        deadline = time.monotonic() + limit
        start = handle.cursor.position
        found: list[RecordedEvent] = []
        for name, wanted in steps:
            remaining = max(0.0, deadline - time.monotonic())

            def matches(r: RecordedEvent, n: str = name, w: list[FieldFilter] = wanted) -> bool:
                return r.name == n and all(f.matches(r.event) for f in w)

            recorded, _ = handle.journal.wait_for(handle.cursor, matches, remaining)
            if recorded is None:
                arrived = _names(handle.journal.events(start)) or "none"
                so_far = ", ".join(r.describe() for r in found) or "none yet"
                want = name + (f" with {', '.join(map(str, wanted))}" if wanted else "")
                raise EventTimeoutError(
                    f"Events did not arrive in order for {handle.describe()} in {robot_time(limit)}: found "
                    f"{so_far}; then {want} did not follow. Arrived, in order: {arrived}.")
            found.append(recorded)
        logger.info(f"In order for {handle.describe()}: {', '.join(r.describe() for r in found)}.")
        return [cast(GatewayEvent, recorded.event) for recorded in found]

    @keyword(tags=["events", "getAgentEvent"])
    def wait_for_events_in_any_order(self, *events: str, timeout: timedelta | None = None,
                                     agent: str | None = None) -> list[GatewayEvent]:
        """Waits until the agent has received every one of ``events``, in whatever order they come, and returns
        them in the order given; for events whose order the gateway does not fix (two members joining a
        conference, the events of two calls). Items are written as in `Wait For Events In Order`; each is matched
        by a different event. The next wait starts after the last of them.

        | `Wait For Events In Any Order` | AgentConf_ParticipantChanged participant=102 | AgentState_Busy |
        | `Wait For Events In Any Order` | AgentEvent_Hold callid=${first} | AgentEvent_Talking | timeout=5s |
        """
        if not events:
            raise CCGatewayError("Wait For Events In Any Order needs at least one event.")
        handle = self.ctx.agent(agent)
        steps = []
        for item in events:
            name, *pairs = item.split()
            wanted = self._filters(name, dict(p.partition("=")[::2] for p in pairs))
            steps.append((name + (f" with {', '.join(map(str, wanted))}" if wanted else ""),
                          lambda r, n=name, w=wanted: r.name == n and all(f.matches(r.event) for f in w)))
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        found, after = handle.journal.wait_for_all(handle.cursor, [matches for _, matches in steps], limit)
        if found is None:
            missing = [description for description, matches in steps if not any(matches(r) for r in after)]
            lacking = f"none arrived for {', '.join(missing)}" if missing else \
                "some events were wanted more often than they came"
            raise EventTimeoutError(
                f"Events did not all arrive for {handle.describe()} in {robot_time(limit)}: {lacking}. Arrived: "
                f"{_names(after) or 'none'}.")
        logger.info(f"For {handle.describe()}: {', '.join(r.describe() for r in found)}.")
        return [cast(GatewayEvent, recorded.event) for recorded in found]

    @keyword(tags=["events", "getAgentEvent"])
    def wait_for_event_on_agents(self, event: str, *agents: str, timeout: timedelta | None = None,
                                 **filters: str) -> dict[str, GatewayEvent]:
        """Waits until every agent in ``agents`` (aliases) receives ``event`` and returns a dictionary of
        alias to event, for events that several agents see, such as a conference.

        Fails after ``timeout`` naming each agent the event did not reach.

        | `Wait For Event On Agents` | AgentEvent_Conference | first | second | callid=${customer} |
        """
        if not agents:
            raise CCGatewayError("Wait For Event On Agents needs at least one agent alias.")
        wanted = self._filters(event, filters)
        limit = seconds(timeout, self.ctx.settings.event_timeout)
        deadline = time.monotonic() + limit
        received: dict[str, GatewayEvent] = {}
        missing: list[str] = []
        for alias in agents:
            handle = self.ctx.agent(alias)
            recorded, _ = handle.journal.wait_for(
                handle.cursor, lambda r: r.name == event and all(f.matches(r.event) for f in wanted),
                max(0.0, deadline - time.monotonic()))
            if recorded is None:
                missing.append(handle.describe())
            else:
                received[alias] = cast(GatewayEvent, recorded.event)
        if missing:
            description = event + (f" with {', '.join(map(str, wanted))}" if wanted else "")
            reached = ", ".join(received) or "none"
            raise EventTimeoutError(f"{description} did not reach {', '.join(missing)} in {robot_time(limit)} "
                                    f"(reached: {reached}).")
        logger.info(f"{event} reached {', '.join(agents)}.")
        return received

    @keyword(tags=["events"])
    def set_event_timeout(self, timeout: timedelta, scope: Scope = "Suite") -> str:
        """Sets how long `Wait For Event` and the other event waits wait by default, and returns the old value.

        ``scope`` is how long the change lasts: ``Test`` (until the current test ends), ``Suite`` (default:
        until the current suite ends, its child suites included) or ``Global`` (for the rest of the run).

        | ${old} = | `Set Event Timeout` | 30s | scope=Test |
        """
        old = self.ctx.scopes.set("event_timeout", timeout.total_seconds(), scope)
        logger.info(f"Event timeout {robot_time(timeout.total_seconds())} ({scope.lower()} scope), "
                    f"was {robot_time(old)}.")
        return robot_time(old)

    @keyword(tags=["events"])
    def set_assertion_timeout(self, timeout: timedelta, scope: Scope = "Suite") -> str:
        """Sets how long a getter given an assertion reads its value again until the assertion holds (see
        `Assertions in getters`), and returns the old value; ``scope`` as in `Set Event Timeout`.

        | `Set Assertion Timeout` | 5s | scope=Test |
        | `Get Agent Status` | ``==`` | busy |
        """
        old = self.ctx.scopes.set("assertion_timeout", timeout.total_seconds(), scope)
        logger.info(f"Assertion timeout {robot_time(timeout.total_seconds())} ({scope.lower()} scope), "
                    f"was {robot_time(old)}.")
        return robot_time(old)

    @keyword(tags=["events"])
    def set_poll_interval(self, interval: timedelta, scope: Scope = "Suite") -> str:
        """Sets the pause after an empty event poll for every agent, running pollers included, and returns the
        old value; ``scope`` as in `Set Event Timeout`. The gateway's documented rhythm is 200 to 500 ms."""
        old = self.ctx.scopes.set("poll_interval", interval.total_seconds(), scope)
        self.ctx.apply_settings({"poll_interval": old})
        logger.info(f"Poll interval {robot_time(interval.total_seconds())} ({scope.lower()} scope), "
                    f"was {robot_time(old)}.")
        return robot_time(old)

    @keyword(tags=["events"])
    def get_push_endpoint(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, agent: str | None = None) -> PushEndpoint:
        """Returns the library's push endpoint (see `Push mode`), starting it if it is not running: ``url`` (its
        base address), ``ca_file`` (the certificate of the CA that signed its certificate, for a gateway's trust
        store) and, with ``agent`` (an alias of an agent signed in in push mode), ``callback``, the address that
        agent's sign-in gave the gateway. The service token is never returned.

        An assertion (see `Assertions in getters`) applies to the dictionary.

        | ${endpoint} = | `Get Push Endpoint` |
        | Log | Gateways must trust ${endpoint}[ca_file] and reach ${endpoint}[url] |
        | `Get Push Endpoint` | validate | value['callback'].startswith(value['url']) | agent=first |
        """

        def endpoint() -> PushEndpoint:
            receiver = self.ctx.push_endpoint()
            found: PushEndpoint = {"url": receiver.base_url, "ca_file": str(receiver.ca_file)}
            if agent is not None:
                handle = self.ctx.agent(agent)
                registration = handle.poller.registration if handle.poller is not None else None
                if registration is None:
                    raise CCGatewayError(f"{handle.describe().capitalize()} did not sign in in push mode: its events "
                                         "are polled.")
                found["callback"] = registration.callback_url
            logger.info(f"Push endpoint {found['url']} (CA certificate {found['ca_file']}).")
            return found

        return self._asserted("Get Push Endpoint", endpoint, assertion_operator, assertion_expected, message,
                              name="endpoint")

    @keyword(tags=["events"])
    def clear_events(self, agent: str | None = None) -> int:
        """Makes the waits ignore every event the agent has received so far, and returns how many of them it
        skipped: those no wait had returned yet (events a wait returned were never waited for again anyway).
        `Get Event History` still lists them all; `Event Count Should Be` counts from here.

        "Received" means polled: right after `Sign In Agent` the sign-in's events may still be on their way, so
        wait for the last one you expect (for example ``AgentState_Ready``) before clearing.

        | `Clear Events` |
        | `Set Agent Busy` |
        | `Wait For Event` | AgentState_SetNotReady_Success |
        """
        handle = self.ctx.agent(agent)
        last = handle.journal.last_seq
        skipped = last - handle.cursor.position
        handle.cursor.position = last
        handle.counted_from = last
        logger.info(f"Cleared {skipped} unread event(s) for {handle.describe()}.")
        return skipped

    @keyword(tags=["events"])
    def get_event_history(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                          message: str | None = None, agent: str | None = None) -> list[EventRecord]:
        """Returns every event the agent has received so far, oldest first.

        Each item has ``seq`` (1, 2, ... in arrival order), ``eventType``, ``received`` (local time) and
        ``event`` (the event as the gateway sent it). An assertion (see `Assertions in getters`) applies to
        the list.

        | ${history} = | `Get Event History` |
        | Length Should Be | ${history} | 2 |
        | `Get Event History` | validate | 'AgentState_Ready' in [e['eventType'] for e in value] |
        """
        handle = self.ctx.agent(agent)

        def history() -> list[EventRecord]:
            return [{"seq": r.seq, "eventType": r.name, "received": r.received.isoformat(timespec="milliseconds"),
                     "event": cast(GatewayEvent, r.event)} for r in handle.journal.events()]

        found = self._asserted("Get Event History", history, assertion_operator, assertion_expected, message,
                               name="events")
        logger.info(f"{len(found)} events for {handle.describe()}: {_names(handle.journal.events()) or 'none'}")
        return found

    def _timeout_message(self, handle: Any, description: str, limit: float, passed: list[RecordedEvent],
                         wanted: list[FieldFilter] | None = None) -> str:
        arrived = f"Arrived meanwhile: {_names(passed)}." if passed else "No other event arrived."
        if handle.journal.closed_reason:
            return (f"{description} cannot arrive for {handle.describe()} any more: event polling ended "
                    f"({handle.journal.closed_reason}). {arrived}")
        message = f"{description} did not arrive for {handle.describe()} in {robot_time(limit)}. {arrived}"
        name = description.split(" ", 1)[0]
        misses = [f"{r.describe()}: {_mismatch(r, wanted)}" for r in passed if r.name == name and wanted]
        if misses:
            message += " Not matching: " + "; ".join(misses[-SHOWN_EVENTS:]) + "."
        earlier = [r for r in handle.journal.events() if r.seq <= handle.cursor.position and r.name == name
                   and all(f.matches(r.event) for f in wanted or [])]
        if earlier:
            message += (f" It did arrive earlier ({earlier[-1].describe()}), before the last event a wait returned "
                        f"(#{handle.cursor.position}): a wait looks only at events after that one. Wait for events "
                        "in the order they come (`Wait For Events In Order`) or read `Get Event History`.")
        gaps = handle.journal.gaps(handle.cursor.position)
        if gaps:
            message += (f" An event may have been lost in transport: {len(gaps)} poll(s) failed after reaching the "
                        f"gateway, the last at {gaps[-1].when:%H:%M:%S} ({gaps[-1].text}).")
        problems = handle.journal.problems()
        if problems and (not gaps or problems[-1] is not gaps[-1]):
            message += f" Last polling problem: {problems[-1].text}."
        return message

def _mismatch(recorded: RecordedEvent, wanted: list[FieldFilter] | None) -> str:
    """Which filters the event did not match, with the value it had."""
    parts = []
    for item in wanted or []:
        if not item.matches(recorded.event):
            value = item.value_in(recorded.event)
            had = "no such field" if value is MISSING else repr(value)
            parts.append(f"{item.field} was {had}, wanted {'regexp ' if item.regexp else ''}{item.expected!r}")
    return ", ".join(parts)


def _names(events: list[RecordedEvent]) -> str:
    shown = ", ".join(r.describe() for r in events[-SHOWN_EVENTS:])
    return (f"... {len(events) - SHOWN_EVENTS} earlier, " if len(events) > SHOWN_EVENTS else "") + shown
