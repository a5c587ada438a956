"""Push mode, the library's side: what one signed-in agent needs to receive pushed events.

The gateway POSTs ``{workNo, eventList}`` to the callback given at sign-in, with the sign-in's service token
in the ``service_token`` header; the client keeps the session alive with ``handShake`` (about every 30 s).
A `PushRegistration` is one sign-in's token and where its events go; a `PushListener` runs its heartbeat in a
background thread and stands where an `EventPoller` stands for a polling agent (same start, stop and hand-over
calls), so the keywords do not care which mode delivers the events.

Duplicates: the push envelope carries no delivery ID, so an event is recognised by the gateway's own fields.
Two events of one session with the same ``eventType``, ``eventGenTime`` and ``content`` are one event delivered
twice, and only the first is recorded. Events without ``eventGenTime`` (editions before 2025) are never taken
for duplicates, since two ``AgentState_Ready`` without a time cannot be told apart from one sent twice.
"""

from __future__ import annotations

import hmac
import json
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Callable
from typing import Any

from robot.api.types import Secret

from ..catalogue import Catalogue, gateway
from ..catalogue.gateway import SUCCESS
from ..errors import CCGatewayError
from ..transport import GatewaySession, guid_replaced_in_flight
from .background import AgentThread, Outcome
from .journal import TALLY_SAMPLES, EventJournal

# A push without the sign-in's token, as the journal counts them (one note for all, not one each).
REFUSED_PUSH = "push refused (wrong service token)"
REFUSED_PUSHES = "pushes refused (wrong service token)"
TOKEN_BYTES = 24  # 48 hex digits: the gateway takes at most 50 letters or digits
REMEMBERED = 4096  # how many recent events of a session are kept for recognising a second delivery
MAX_HEARTBEAT_BACKOFF = 5.0
SHOWN = 200


def new_token() -> str:
    """A service token for one sign-in: random, letters and digits only."""
    return secrets.token_hex(TOKEN_BYTES)


def fingerprint(event: dict[str, Any]) -> str | None:
    """What makes an event the same event when it is delivered again, or None when nothing does."""
    if event.get("eventGenTime") is None:
        return None
    return json.dumps([event.get("eventType"), event.get("eventGenTime"), event.get("content")], sort_keys=True,
                      default=str)


class PushRegistration:
    """One sign-in in push mode: its service token and where its pushed events go.

    It exists before the sign-in request is sent, since the gateway may push the sign-in's own events before
    its reply arrives; until `attach` names the journal, events are held.
    """

    def __init__(self, agent_id: str, callback_url: str, catalogue: Catalogue,
                 on_close: Callable[[PushRegistration], None] = lambda registration: None) -> None:
        self.agent_id = agent_id
        self.callback_url = callback_url
        self.token = Secret(new_token())
        self.catalogue = catalogue
        self.duplicates = 0
        self.received = 0
        self._on_close = on_close
        self._lock = threading.Lock()
        self._journal: EventJournal | None = None
        self._held: list[dict[str, Any]] = []
        self._notes: list[tuple[str, bool]] = []
        self._refused = 0  # pushes with a wrong token before the journal was attached: counted, a few kept
        self._refused_samples: deque[str] = deque(maxlen=TALLY_SAMPLES)
        self._seen: OrderedDict[str, None] = OrderedDict()
        self.closed = False

    def sign_in_fields(self) -> dict[str, str]:
        """The sign-in body's push fields: with both, the gateway pushes; with one alone, it does not."""
        return {"callBackUri": self.callback_url, "serviceToken": self.token.value}

    def token_matches(self, offered: bytes) -> bool:
        return hmac.compare_digest(offered, self.token.value.encode("ascii"))

    def attach(self, journal: EventJournal) -> None:
        """The sign-in succeeded: held events and notes go to ``journal``, and so will later ones."""
        with self._lock:
            self._journal = journal
            held, self._held = self._held, []
            notes, self._notes = self._notes, []
            for event in held:
                journal.append(event, self.catalogue.event_problems(event))
            for text, gap in notes:
                journal.problem(text, gap=gap)
            samples, refused = list(self._refused_samples), self._refused
            self._refused_samples.clear()
            self._refused = 0
            for index, sample in enumerate(samples):
                journal.count(REFUSED_PUSH, REFUSED_PUSHES, sample, refused - len(samples) + 1 if not index else 1)

    def receive(self, events: list[dict[str, Any]]) -> int:
        """Records the pushed events oldest first, each once; returns how many were new."""
        new = 0
        with self._lock:
            for event in events:
                key = fingerprint(event)
                if key is not None:
                    if key in self._seen:
                        self.duplicates += 1
                        continue
                    self._seen[key] = None
                    if len(self._seen) > REMEMBERED:
                        self._seen.popitem(last=False)
                new += 1
                self.received += 1
                if self._journal is None:
                    self._held.append(event)
                else:
                    self._journal.append(event, self.catalogue.event_problems(event))
        return new

    def note(self, text: str, *, gap: bool = False) -> None:
        """A problem with a push, for the waiting keywords to report."""
        with self._lock:
            if self._journal is None:
                self._notes.append((text, gap))
            elif not self.closed:
                self._journal.problem(text, gap=gap)

    def refused(self, sample: str) -> None:
        """A push came for this agent without this sign-in's token: counted, ``sample`` says which."""
        with self._lock:
            if self._journal is None:
                self._refused += 1
                self._refused_samples.append(sample)
            elif not self.closed:
                self._journal.count(REFUSED_PUSH, REFUSED_PUSHES, sample)

    def close(self) -> None:
        """No more pushes are taken for this sign-in."""
        with self._lock:
            self.closed = True
        self._on_close(self)


class PushListener(AgentThread):
    """Keeps one push-mode agent signed in with the ``handShake`` heartbeat, in a background thread.

    Like the poller it never logs (Robot drops messages from other threads): problems go to the journal, and
    a retcode meaning the session is gone closes the journal so the next wait fails at once. A renewed Guid on
    the heartbeat's reply is taken over by the shared Guid holder, as on every reply.
    """

    def __init__(self, session: GatewaySession, catalogue: Catalogue, agent_id: str, journal: EventJournal,
                 registration: PushRegistration, *, heartbeat_interval: float = gateway.HEARTBEAT_INTERVAL,
                 scrub: Callable[[str], str] = lambda text: text) -> None:
        self.session = session
        self.catalogue = catalogue
        self.interface = catalogue.interface(gateway.HEARTBEAT_INTERFACE)
        self.path = self.interface.url_path({"agentid": agent_id})
        self.journal = journal
        self.registration = registration
        self.heartbeat_interval = heartbeat_interval
        self.poll_interval = 0.0  # kept for the scoped poll setting; nothing is polled in push mode
        self.heartbeats = 0
        self.scrub = scrub
        super().__init__(f"ccgw-heartbeat-{agent_id}")

    def start(self) -> None:
        self.registration.attach(self.journal)
        super().start()

    def stop(self, wait: float = 0.0) -> None:
        self.registration.close()
        super().stop(wait)

    # A new sign-in of the same agent pushes with its own token to its own registration, so nothing of the old
    # session's needs holding back or handing over, unlike a parked poll.
    def hold_events(self) -> None:
        pass

    def resume(self) -> None:
        pass

    def hand_over(self, journal: EventJournal) -> None:
        self.stop()

    def _problem(self, text: str) -> None:
        if not self._stop.is_set():
            self.journal.problem(text)

    def _run(self) -> None:
        try:
            self._loop()
        except Exception as error:  # never die silently: waits must fail at once, saying why
            if not self._stop.is_set():
                self.journal.close(f"heartbeat crashed: {type(error).__name__}: {self.scrub(str(error))[:SHOWN]}")
        finally:
            self.session.close()

    def _loop(self) -> None:
        failures = 0
        while not self._stop.wait(self.heartbeat_interval if not failures else
                                  min(self.heartbeat_interval, MAX_HEARTBEAT_BACKOFF, 0.5 * 2**failures)):
            outcome = self._beat()
            if outcome is Outcome.STOP:
                return
            failures = failures + 1 if outcome is Outcome.ERROR else 0

    def _beat(self) -> Outcome:
        """One heartbeat: OK, ERROR or STOP."""
        headers = {gateway.SERVICE_TOKEN_HEADER: self.registration.token.value}
        try:
            exchange = self.session.send(self.interface.method, self.path, headers=headers)
        except CCGatewayError as error:
            self._problem(self.scrub(f"heartbeat failed: {error}"))
            return Outcome.ERROR
        if self._stop.is_set():
            return Outcome.STOP
        self.heartbeats += 1
        reply = exchange.json
        if exchange.status != 200 or not isinstance(reply, dict):
            what = f"HTTP {exchange.status} {exchange.reason}".strip() if exchange.status != 200 else \
                "a body that is not a JSON object"
            self._problem(f"heartbeat answered {what}: {self.scrub(exchange.text)[:SHOWN]!r}")
            return Outcome.ERROR
        problem = self.catalogue.problems(self.interface.response_schema["$id"], reply)
        if problem:
            self._problem(f"heartbeat reply does not match its schema: {problem}")
        retcode = str(reply.get("retcode"))
        if retcode == SUCCESS:
            return Outcome.OK
        text = f"heartbeat answered retcode {self.catalogue.describe_retcode(retcode)}"
        self._problem(text)
        if guid_replaced_in_flight(exchange, self.session, self.catalogue.guid_refusals):
            return Outcome.ERROR  # the Guid was replaced (Refresh Guid) while this heartbeat was on its way: beat again
        if retcode in self.catalogue.session_ended:
            self.journal.close(f"heartbeat stopped: {text}")
            self._stop.set()
            self.registration.close()
            return Outcome.STOP
        return Outcome.ERROR
