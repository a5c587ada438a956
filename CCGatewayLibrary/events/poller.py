"""Background long polling of one agent's events into its journal.

Robot drops log messages from threads other than the main one, so the poller never logs: it records
events and problems in the journal, and the keywords that wait report them.

A poll parked at the gateway can take an event that belongs to a newer sign-in of the same agent (the
gateway hands the next queued event to whichever poll is waiting). So a poller that is replaced never
drops what its last poll brings: while a new sign-in is in flight it holds received events back, and then
hands them to the new session's journal (sign-in accepted) or to its own (sign-in refused).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from ..catalogue import POLL_RESPONSE_SCHEMA, Catalogue, gateway
from ..catalogue.gateway import SUCCESS
from ..errors import CCGatewayError, TransportError
from ..transport import Exchange, GatewaySession, guid_replaced_in_flight
from .background import AgentThread, Outcome
from .journal import EventJournal

# Retcodes after which polling cannot succeed until the agent signs in again.
MAX_BACKOFF = 2.0
POLL_SLACK = 5.0  # how much longer than the gateway's poll wait a poll may take before it counts as lost
SHOWN_BODY = 200


class EventPoller(AgentThread):
    def __init__(self, session: GatewaySession, catalogue: Catalogue, agent_id: str, journal: EventJournal, *,
                 poll_interval: float = gateway.POLL_PAUSE, poll_wait: float = gateway.POLL_WAIT,
                 scrub: Callable[[str], str] = lambda text: text,
                 observe: Callable[[Exchange], None] | None = None) -> None:
        self.session = session
        self.observe = observe  # told of every poll reply received (a session recording)
        self.scrub = scrub  # masks secrets in what a problem quotes, before it is cut short
        self.catalogue = catalogue
        self.interface = catalogue.interface(gateway.POLL_INTERFACE)
        self.path = self.interface.url_path({"agentid": agent_id})
        self.journal = journal
        self.poll_interval = poll_interval
        self.registration = None  # polled: no push registration
        # The gateway holds a poll ~10 s; give it room before calling the poll lost.
        self.read_timeout = poll_wait + POLL_SLACK
        self._route = threading.Lock()  # guards journal and _held against a hand-over
        self._held: list[dict[str, Any]] | None = None
        super().__init__(f"ccgw-poll-{agent_id}")

    # -- a new sign-in of the same agent ------------------------------------------------------------
    def hold_events(self) -> None:
        """Keep received events back until `hand_over` or `resume` says whose they are."""
        with self._route:
            self._held = []

    def hand_over(self, journal: EventJournal) -> None:
        """Stop polling; what was held and what the last poll still brings goes to ``journal``."""
        self._stop.set()
        with self._route:
            self.journal = journal
            self._release_held()

    def resume(self) -> None:
        """The new sign-in failed: held events are this session's after all."""
        with self._route:
            self._release_held()

    def _release_held(self) -> None:
        held, self._held = self._held or [], None
        for event in held:
            self.journal.append(event, self.catalogue.event_problems(event))

    def _deliver(self, event: dict[str, Any]) -> None:
        with self._route:
            if self._held is not None:
                self._held.append(event)
            else:
                self.journal.append(event, self.catalogue.event_problems(event))

    def _problem(self, text: str, *, gap: bool = False) -> None:
        with self._route:  # a hand-over may swap the journal: a stopped poller's failures are nobody's news
            if not self._stop.is_set():
                self.journal.problem(text, gap=gap)

    def _close(self, reason: str) -> None:
        with self._route:
            if not self._stop.is_set():
                self.journal.close(reason)

    def _quote(self, value: object) -> str:
        return repr(self.scrub(str(value))[:SHOWN_BODY])

    # -- the loop -----------------------------------------------------------------------------------
    def _run(self) -> None:
        try:
            self._loop()
        except Exception as error:  # never die silently: waits must fail at once, saying why
            self._close(f"event polling crashed: {type(error).__name__}: {self.scrub(str(error))[:SHOWN_BODY]}")
        finally:
            self.session.close()

    def _loop(self) -> None:
        failures = 0
        while not self._stop.is_set():
            outcome = self._poll_once()
            if outcome is Outcome.STOP:
                return
            failures = failures + 1 if outcome is Outcome.ERROR else 0
            # Drain queued events at once; pause after an empty poll; back off after errors.
            delay = {Outcome.EVENT: 0.0, Outcome.EMPTY: self.poll_interval}.get(
                outcome, min(self.poll_interval * 2**failures, MAX_BACKOFF))
            if delay:
                self._stop.wait(delay)

    def _poll_once(self) -> Outcome:
        """One poll: EVENT, EMPTY, ERROR or STOP."""
        try:
            exchange = self.session.send(self.interface.method, self.path, read_timeout=self.read_timeout)
        except CCGatewayError as error:
            # A reply lost after the poll reached the gateway may have carried an event: a gap in the journal.
            self._problem(f"poll failed: {error}", gap=isinstance(error, TransportError) and error.reached_gateway)
            return Outcome.STOP if self._stop.is_set() else Outcome.ERROR
        if self.observe is not None:
            self.observe(exchange)
        if exchange.status != 200 or not isinstance(exchange.json, dict):
            what = f"HTTP {exchange.status} {exchange.reason}".strip() if exchange.status != 200 else \
                f"a body that is {exchange.not_json}" if exchange.not_json else "a body that is not a JSON object"
            self._problem(f"poll answered {what}: {self._quote(exchange.text)}", gap=True)
            return Outcome.STOP if self._stop.is_set() else Outcome.ERROR
        reply = exchange.json
        problem = self.catalogue.problems(POLL_RESPONSE_SCHEMA, reply)
        if problem:
            self._problem(f"poll reply does not match its schema: {problem}")
        retcode = str(reply.get("retcode"))
        if retcode != SUCCESS:
            text = f"poll answered retcode {self.catalogue.describe_retcode(retcode)}"
            self._problem(text)
            if self._stop.is_set():
                return Outcome.STOP
            if guid_replaced_in_flight(exchange, self.session, self.catalogue.guid_refusals):
                return Outcome.EMPTY  # the Guid was replaced (Refresh Guid) while this poll was held: poll again
            if retcode in self.catalogue.session_ended:
                self._close(f"polling stopped: {text}")
                return Outcome.STOP
            return Outcome.ERROR
        events = reply.get("event")
        batch = events if isinstance(events, list) else [] if events is None else [events]
        delivered = 0
        for index, event in enumerate(batch):
            if isinstance(event, dict):
                self._deliver(event)
                delivered += 1
            else:
                where = f"event [{index}]" if isinstance(events, list) else "event"
                self._problem(f"poll reply's {where} is not a JSON object: {self._quote(event)}")
        if self._stop.is_set():
            return Outcome.STOP
        return Outcome.EVENT if delivered else Outcome.ERROR if batch else Outcome.EMPTY
