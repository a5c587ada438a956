"""Background long polling of one agent's events into its journal.

Robot drops log messages from threads other than the main one, so the poller never logs: it records
events and problems in the journal, and the keywords that wait report them.
"""

from __future__ import annotations

import threading

from ..catalogue import POLL_RESPONSE_SCHEMA, Catalogue
from ..errors import CCGatewayError
from ..transport import GatewaySession
from .journal import EventJournal

# Retcodes after which polling cannot succeed until the agent signs in again.
FATAL_POLL_RETCODES = frozenset({"100-006", "000-003", "105-005", "105-006"})
MAX_BACKOFF = 2.0


class EventPoller:
    def __init__(self, session: GatewaySession, catalogue: Catalogue, agent_id: str, journal: EventJournal, *,
                 poll_interval: float = 0.2, poll_wait: float = 10.0) -> None:
        self.session = session
        self.catalogue = catalogue
        self.interface = catalogue.interface("getAgentEvent")
        self.path = self.interface.url_path({"agentid": agent_id})
        self.journal = journal
        self.poll_interval = poll_interval
        # The gateway holds a poll ~10 s; give it room before calling the poll lost.
        self.read_timeout = poll_wait + 5.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ccgw-poll-{agent_id}", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, wait: float = 0.0) -> None:
        self._stop.set()
        if wait and self._thread.is_alive():
            self._thread.join(wait)

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and not self._stop.is_set()

    def _run(self) -> None:
        failures = 0
        while not self._stop.is_set():
            outcome = self._poll_once()
            if outcome == "stop":
                return
            failures = failures + 1 if outcome == "error" else 0
            # Drain queued events at once; pause after an empty poll; back off after errors.
            delay = {"event": 0.0, "empty": self.poll_interval}.get(
                outcome, min(self.poll_interval * 2**failures, MAX_BACKOFF))
            if delay:
                self._stop.wait(delay)

    def _poll_once(self) -> str:
        """One poll: "event", "empty", "error" or "stop"."""
        try:
            exchange = self.session.send(self.interface.method, self.path, read_timeout=self.read_timeout)
        except CCGatewayError as error:
            if self._stop.is_set():
                return "stop"
            self.journal.problem(f"poll failed: {error}")
            return "error"
        if self._stop.is_set():
            return "stop"
        if exchange.status != 200 or not isinstance(exchange.json, dict):
            self.journal.problem(f"poll answered HTTP {exchange.status} {exchange.reason}: {exchange.text[:200]}")
            return "error"
        reply = exchange.json
        problem = self.catalogue.problems(POLL_RESPONSE_SCHEMA, reply)
        if problem:
            self.journal.problem(f"poll reply does not match its schema: {problem}")
        retcode = str(reply.get("retcode"))
        if retcode != "0":
            text = f"poll answered retcode {self.catalogue.describe_retcode(retcode)}"
            self.journal.problem(text)
            if retcode in FATAL_POLL_RETCODES:
                self.journal.close(f"polling stopped: {text}")
                return "stop"
            return "error"
        events = reply.get("event")
        batch = events if isinstance(events, list) else [events] if isinstance(events, dict) else []
        for event in batch:
            self.journal.append(event, self.catalogue.event_problems(event))
        return "event" if batch else "empty"
