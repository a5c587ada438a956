"""The event poller's rhythm and bookkeeping: drain at once, pause when idle, back off after errors."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.errors import TransportError
from CCGatewayLibrary.events import EventJournal, EventPoller, PushListener, PushRegistration
from CCGatewayLibrary.events import poller as poller_module
from CCGatewayLibrary.events.background import Outcome
from CCGatewayLibrary.secrets import SecretRegistry
from CCGatewayLibrary.transport import Exchange, GuidHolder

READY = {"eventType": "AgentState_Ready", "workNo": "101", "content": None}


def _reply(document: Any, status: int = 200, text: str | None = None) -> Exchange:
    body = json.dumps(document) if text is None else text
    return Exchange("GET", "https://gw/x", status, "Bad Gateway" if status == 502 else "OK", {}, None, {}, body, 1.0,
                    json=document)


class Recording:
    """Answers polls from a script (then idles) and records when each poll was sent, with its arguments."""

    def __init__(self, script: list[Any]) -> None:
        self.script = list(script)
        self.calls: list[tuple[float, dict[str, Any]]] = []
        self.done = threading.Event()
        self.guid = GuidHolder(SecretRegistry())

    def close(self) -> None:
        pass

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        self.calls.append((time.monotonic(), kwargs))
        if not self.script:
            self.done.set()
            time.sleep(0.05)
            return _reply({"message": "", "retcode": "0", "event": None})
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def _run(script: list[Any], *, interval: float = 0.05, poll_wait: float = 3.0,
         pauses: list[float] | None = None) -> tuple[Recording, EventJournal, EventPoller]:
    session, journal = Recording(script), EventJournal("101")
    poller = EventPoller(session, load_catalogue(), "101", journal,  # type: ignore[arg-type]
                         poll_interval=interval, poll_wait=poll_wait)
    if pauses is not None:  # record the pauses the poller asks for instead of timing them
        pause = poller._stop.wait
        poller._stop.wait = lambda seconds=None: pauses.append(seconds) or pause(0.001)  # type: ignore[method-assign]
    poller.start()
    assert session.done.wait(10), "the script was not used up"
    poller.stop(wait=2)
    return session, journal, poller


def test_queued_events_are_drained_without_pausing_and_an_empty_poll_pauses() -> None:
    event = _reply({"message": "", "retcode": "0", "event": READY})
    empty = _reply({"message": "", "retcode": "0", "event": None})
    pauses: list[float] = []
    _, journal, _ = _run([event, event, event, empty, event, empty], interval=0.5, pauses=pauses)
    assert len(journal.events()) == 4
    assert pauses[:2] == [0.5, 0.5]  # no pause after the events; the poll interval after each empty poll


def test_errors_back_off_doubling_and_success_resets_it() -> None:
    error = TransportError("GET /x at gw: no reply within 1 s")
    event = _reply({"message": "", "retcode": "0", "event": READY})
    pauses: list[float] = []
    _, journal, _ = _run([error, error, error, event, error], interval=0.05, pauses=pauses)
    assert pauses[:4] == pytest.approx([0.1, 0.2, 0.4, 0.1])  # 0.05 * 2**failures; reset by the event
    assert [p.text for p in journal.problems()] == ["poll failed: GET /x at gw: no reply within 1 s"] * 4


def test_backoff_stops_growing_at_its_ceiling() -> None:
    pauses: list[float] = []
    _run([TransportError("down")] * 8, interval=0.05, pauses=pauses)
    assert pauses[:8] == pytest.approx([0.1, 0.2, 0.4, 0.8, 1.6, 2.0, 2.0, 2.0])


def test_each_poll_may_take_the_poll_wait_plus_slack() -> None:
    session, _, poller = _run([], poll_wait=3.0)
    assert session.calls[0][1] == {"read_timeout": 3.0 + poller_module.POLL_SLACK}
    assert poller.read_timeout == 8.0


def test_poller_thread_is_a_named_daemon_that_stop_can_join() -> None:
    session, journal = Recording([]), EventJournal("101")
    poller = EventPoller(session, load_catalogue(), "101", journal, poll_interval=0.01)  # type: ignore[arg-type]
    assert poller._thread.daemon and poller._thread.name == "ccgw-poll-101"
    poller.start()
    assert poller.running
    poller.stop(wait=2)
    assert not poller._thread.is_alive() and not poller.running


@pytest.mark.parametrize(("reply", "problem"), [
    (_reply(None, status=502, text="<html>bad gateway</html>"), "poll answered HTTP 502 Bad Gateway: "
                                                               "'<html>bad gateway</html>'"),
    (_reply({"message": "", "retcode": 0, "event": None}), "poll reply does not match its schema: retcode: 0 breaks "
                                                           'the rule: result code; "0" means the poll succeeded'),
    (_reply({"message": "", "retcode": "999-999", "event": None}), "poll answered retcode 999-999 (not in the "
                                                                   "retcode table)"),
    (_reply({"message": "", "retcode": "0", "event": "Ready"}), "poll reply's event is not a JSON object: 'Ready'"),
])
def test_problems_are_recorded_in_words(reply: Exchange, problem: str) -> None:
    _, journal, _ = _run([reply])
    assert problem in [p.text for p in journal.problems()]
    assert journal.closed_reason is None


def test_a_list_of_events_is_taken_in_order_with_schema_problems_kept() -> None:
    bad = {"eventType": "AgentEvent_Hold", "workNo": "101", "content": {"x": 1}}
    _, journal, _ = _run([_reply({"message": "", "retcode": "0", "event": [READY, bad]})])
    assert [(r.name, r.schema_problem is None) for r in journal.events()] == \
        [("AgentState_Ready", True), ("AgentEvent_Hold", False)]


@pytest.mark.parametrize("retcode", ["100-006", "000-003", "100-008", "105-005", "105-006", "105-007"])
def test_a_retcode_that_ends_the_session_stops_polling_and_says_why(retcode: str) -> None:
    session, journal = Recording([_reply({"message": "", "retcode": retcode})]), EventJournal("101")
    poller = EventPoller(session, load_catalogue(), "101", journal,  # type: ignore[arg-type]
                         poll_interval=0.01, poll_wait=1.0)
    poller.start()
    poller._thread.join(5)  # type: ignore[attr-defined]
    assert journal.closed_reason is not None and retcode in journal.closed_reason
    assert len(session.calls) == 1  # no poll after it


def test_a_retcode_that_does_not_end_the_session_is_retried() -> None:
    _, journal, _ = _run([_reply({"message": "", "retcode": "100-007"}), _reply({"retcode": "0", "event": READY})])
    assert journal.closed_reason is None
    assert [r.name for r in journal.events()] == ["AgentState_Ready"]


def test_a_poll_reply_lost_after_reaching_the_gateway_leaves_a_gap() -> None:
    lost = TransportError("GET /x at gw: no reply within 3 s.", reached_gateway=True)
    never = TransportError("GET /x at gw: could not connect within 5 s.", reached_gateway=False)
    _, journal, _ = _run([never, lost, _reply({"retcode": "0", "event": READY})])
    assert [problem.text for problem in journal.gaps()] == [f"poll failed: {lost}"]
    assert journal.gaps(after=1) == []  # the gap lies before the event that came next
    assert len(journal.problems()) == 2


# ---------------------------------------------------------------- every kind of failed poll backs off


@pytest.mark.parametrize(
    "failed",
    [
        _reply(None, status=502, text="<html>bad gateway</html>"),
        _reply({"message": "", "retcode": "999-999", "event": None}),
        _reply({"message": "", "retcode": "0", "event": ["Ready", 42]}),
    ],
    ids=["http-error", "retcode-error", "no-event-is-an-object"],
)
def test_each_kind_of_failed_poll_backs_off_doubling(failed: Exchange) -> None:
    pauses: list[float] = []
    _run([failed, failed, failed], interval=0.05, pauses=pauses)
    assert pauses[:3] == pytest.approx([0.1, 0.2, 0.4])


def test_a_reply_that_is_json_but_no_object_is_a_problem_in_words() -> None:
    _, journal, _ = _run([_reply([1])])
    assert "poll answered a body that is not a JSON object: '[1]'" in [p.text for p in journal.problems()]


class Parked(Recording):
    """A poll parked at the gateway until the test releases it."""

    def __init__(self) -> None:
        super().__init__([])
        self.parked, self.release = threading.Event(), threading.Event()

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        self.parked.set()
        self.release.wait(10)
        return _reply({"message": "", "retcode": "0", "event": None})


@pytest.mark.parametrize("wait", [None, 0.05])
def test_stop_returns_while_a_poll_is_still_parked(wait: float | None) -> None:
    session = Parked()
    poller = EventPoller(session, load_catalogue(), "101", EventJournal("101"))  # type: ignore[arg-type]
    poller.start()
    assert session.parked.wait(5)
    stopper = threading.Thread(target=poller.stop if wait is None else lambda: poller.stop(wait=wait), daemon=True)
    stopper.start()
    stopper.join(0.5)  # stop() without a wait must not join; with one, it waits that long at most
    try:
        assert not stopper.is_alive() and poller._thread.is_alive() and not poller.running
    finally:
        session.release.set()
        poller.stop(wait=2)


def test_closing_is_recorded_with_its_reason_unless_the_poller_was_stopped() -> None:
    journal = EventJournal("101")
    poller = EventPoller(Recording([]), load_catalogue(), "101", journal)  # type: ignore[arg-type]
    poller._close("polling stopped: poll answered retcode 100-006 (agent not signed in)")
    assert journal.closed_reason == "polling stopped: poll answered retcode 100-006 (agent not signed in)"
    journal.reopen()
    poller.stop()  # a hand-over or sign-out: what the old poller ends with is nobody's news
    poller._close("polling stopped: late")
    assert journal.closed_reason is None


def test_a_poll_and_a_heartbeat_say_what_they_came_to_in_the_one_outcome_enum() -> None:
    # One Enum for both loops, so a new outcome cannot be handled by one and silently misread by the other.
    catalogue = load_catalogue()
    polls = Recording([_reply({"message": "", "retcode": "0", "event": READY}),
                       _reply({"message": "", "retcode": "0", "event": None}),
                       _reply({"message": "", "retcode": "100-006", "event": None})])
    poller = EventPoller(polls, catalogue, "101", EventJournal("101"))  # type: ignore[arg-type]
    assert [poller._poll_once() for _ in range(3)] == [Outcome.EVENT, Outcome.EMPTY, Outcome.STOP]
    beats = Recording([_reply({"message": "success", "retcode": "0"}), TransportError("no reply")])
    listener = PushListener(beats, catalogue, "101", EventJournal("101"),  # type: ignore[arg-type]
                            PushRegistration("101", "https://x", catalogue))
    assert [listener._beat(), listener._beat()] == [Outcome.OK, Outcome.ERROR]
