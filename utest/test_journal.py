"""The event journal, its cursors and the field filters that pick events."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from CCGatewayLibrary.errors import CCGatewayError
from CCGatewayLibrary.events import Cursor, EventJournal, FieldFilter, RecordedEvent

PRODUCED = 2000


def _event(name: str, content: Any = None, **extra: Any) -> dict[str, Any]:
    return {"eventType": name, "workNo": "101", "content": content, **extra}


def _named(name: str) -> Any:
    return lambda recorded: recorded.name == name


def _anything(recorded: RecordedEvent) -> bool:
    return True


@pytest.fixture
def journal() -> EventJournal:
    return EventJournal("101")


# ---------------------------------------------------------------- journal and cursors


def test_sequence_numbers_count_from_one_in_order(journal: EventJournal) -> None:
    names = ["AgentOther_InService", "AgentState_Ready", "AgentState_Busy", "AgentEvent_Talking"]
    recorded = [journal.append(_event(name)) for name in names]
    assert [r.seq for r in recorded] == [1, 2, 3, 4]
    assert [r.name for r in journal.events()] == names
    assert [r.seq for r in journal.events()] == [1, 2, 3, 4]
    assert journal.last_seq == 4
    assert [r.seq for r in journal.events(after=2)] == [3, 4]
    assert recorded[0].describe() == "AgentOther_InService (#1)"


def test_append_keeps_event_and_schema_problem(journal: EventJournal) -> None:
    event = _event("AgentEvent_Hold", "1-1")
    recorded = journal.append(event, "content: not a string")
    assert recorded.event is event
    assert recorded.schema_problem == "content: not a string"
    assert journal.append({"content": None}).name == "None"


def test_wait_for_returns_first_match_after_cursor_and_moves_it(journal: EventJournal) -> None:
    for name in ("AgentOther_InService", "AgentState_Ready", "AgentState_Busy", "AgentState_Ready"):
        journal.append(_event(name))
    cursor = Cursor()
    found, passed = journal.wait_for(cursor, _named("AgentState_Ready"), timeout=0)
    assert found is not None and found.seq == 2
    assert [p.seq for p in passed] == [1]
    assert cursor.position == 2
    found, passed = journal.wait_for(cursor, _named("AgentState_Ready"), timeout=0)
    assert found is not None and found.seq == 4
    assert [p.name for p in passed] == ["AgentState_Busy"]
    assert cursor.position == 4


def test_event_never_returned_twice_to_one_cursor(journal: EventJournal) -> None:
    journal.append(_event("AgentState_Ready"))
    cursor = Cursor()
    first, _ = journal.wait_for(cursor, _anything, timeout=0)
    assert first is not None and first.seq == 1
    again, passed = journal.wait_for(cursor, _anything, timeout=0.05)
    assert again is None
    assert passed == []
    assert cursor.position == 1


def test_two_cursors_each_see_every_event(journal: EventJournal) -> None:
    for index in range(5):
        journal.append(_event("AgentState_Ready", index=index))
    left, right = Cursor(), Cursor()
    seen_left = [journal.wait_for(left, _anything, timeout=0)[0].seq for _ in range(5)]  # type: ignore[union-attr]
    seen_right = [journal.wait_for(right, _anything, timeout=0)[0].seq for _ in range(5)]  # type: ignore[union-attr]
    assert seen_left == seen_right == [1, 2, 3, 4, 5]
    assert left.position == right.position == 5


def test_timeout_returns_none_and_lists_passed_events(journal: EventJournal) -> None:
    journal.append(_event("AgentOther_InService"))
    journal.append(_event("AgentState_Ready"))
    cursor = Cursor()
    found, passed = journal.wait_for(cursor, _named("AgentEvent_Talking"), timeout=0.05)
    assert found is None
    assert [p.name for p in passed] == ["AgentOther_InService", "AgentState_Ready"]
    assert cursor.position == 0  # the cursor stays where it was
    found, _ = journal.wait_for(cursor, _named("AgentOther_InService"), timeout=0)
    assert found is not None and found.seq == 1


def test_wait_sees_event_appended_while_waiting(journal: EventJournal) -> None:
    cursor = Cursor()
    timer = threading.Timer(0.05, lambda: journal.append(_event("AgentEvent_Talking")))
    timer.start()
    try:
        found, _ = journal.wait_for(cursor, _named("AgentEvent_Talking"), timeout=5)
    finally:
        timer.cancel()
    assert found is not None and found.name == "AgentEvent_Talking"
    assert cursor.position == 1


def test_producer_thread_and_consumer_each_event_once_in_order(journal: EventJournal) -> None:
    def produce() -> None:
        for index in range(1, PRODUCED + 1):
            journal.append(_event("AgentState_Ready", {"index": index}))

    producer = threading.Thread(target=produce, name="test-producer", daemon=True)
    cursor = Cursor()
    received: list[int] = []
    producer.start()
    try:
        for expected in range(1, PRODUCED + 1):
            wanted = expected
            found, passed = journal.wait_for(
                cursor, lambda r, wanted=wanted: r.event["content"]["index"] == wanted, timeout=10)
            assert found is not None, f"event {expected} never arrived"
            assert passed == []
            received.append(found.event["content"]["index"])
    finally:
        producer.join(10)
    assert received == list(range(1, PRODUCED + 1))
    assert [r.seq for r in journal.events()] == list(range(1, PRODUCED + 1))
    assert journal.wait_for(cursor, _anything, timeout=0) == (None, [])


def test_producer_thread_and_catch_all_consumer(journal: EventJournal) -> None:
    producer = threading.Thread(
        target=lambda: [journal.append(_event("AgentState_Ready", {"index": i})) for i in range(PRODUCED)],
        daemon=True)
    cursor = Cursor()
    seqs: list[int] = []
    producer.start()
    try:
        for _ in range(PRODUCED):
            found, _ = journal.wait_for(cursor, _anything, timeout=10)
            assert found is not None
            seqs.append(found.seq)
    finally:
        producer.join(10)
    assert seqs == list(range(1, PRODUCED + 1))


def test_close_ends_wait_early(journal: EventJournal) -> None:
    journal.append(_event("AgentOther_InService"))
    cursor = Cursor()
    outcome: dict[str, Any] = {}

    def wait() -> None:
        outcome["result"] = journal.wait_for(cursor, _named("AgentEvent_Talking"), timeout=30)

    waiter = threading.Thread(target=wait, daemon=True)
    waiter.start()
    threading.Timer(0.05, lambda: journal.close("agent signed out")).start()
    waiter.join(5)
    assert not waiter.is_alive(), "close() did not end the wait"
    found, passed = outcome["result"]
    assert found is None
    assert [p.name for p in passed] == ["AgentOther_InService"]
    assert journal.closed_reason == "agent signed out"


def test_closed_journal_still_hands_out_recorded_events(journal: EventJournal) -> None:
    journal.append(_event("AgentState_Ready"))
    journal.close("done")
    cursor = Cursor()
    found, _ = journal.wait_for(cursor, _anything, timeout=30)
    assert found is not None and found.seq == 1
    assert journal.wait_for(cursor, _anything, timeout=30) == (None, [])
    journal.reopen()
    assert journal.closed_reason is None


def test_problems_are_recorded(journal: EventJournal) -> None:
    journal.problem("poll failed: timeout")
    journal.problem("poll answered HTTP 500")
    assert [p.text for p in journal.problems()] == ["poll failed: timeout", "poll answered HTTP 500"]
    since = journal.problems()[1].when
    assert [p.text for p in journal.problems(since)] == ["poll answered HTTP 500"]


# ---------------------------------------------------------------- field filters


def test_filter_matches_field_in_content_dict() -> None:
    event = _event("AgentEvent_Talking", {"callid": "1455885056-1095", "caller": "88880001"})
    assert FieldFilter.parse("callid=1455885056-1095").matches(event)
    assert FieldFilter.parse("caller=88880001").matches(event)
    assert not FieldFilter.parse("callid=1455885056-1096").matches(event)
    assert not FieldFilter.parse("called=88880001").matches(event)


def test_filter_content_field_before_top_level_field() -> None:
    event = _event("AgentEvent_Talking", {"workNo": "202"})
    assert FieldFilter.parse("workNo=202").matches(event)
    assert not FieldFilter.parse("workNo=101").matches(event)


def test_filter_falls_back_to_top_level_field() -> None:
    event = _event("AgentState_Ready")
    assert FieldFilter.parse("workNo=101").matches(event)
    assert FieldFilter.parse("eventType=AgentState_Ready").matches(event)
    assert not FieldFilter.parse("workNo=102").matches(event)


def test_filter_on_bare_string_content_is_the_callid() -> None:
    event = _event("AgentEvent_Hold", "1456402370-7")
    assert FieldFilter.parse("callid=1456402370-7").matches(event)
    assert FieldFilter.parse("content=1456402370-7").matches(event)
    assert not FieldFilter.parse("callid=1456402370-8").matches(event)
    assert not FieldFilter.parse("caller=1456402370-7").matches(event)


def test_filter_dotted_path() -> None:
    event = _event("AgentEvent_Conference", {"callid": "1-1", "partner": "88880001,88880002"},
                   extra={"deep": {"value": 7}})
    assert FieldFilter.parse("content.partner=88880001,88880002").matches(event)
    assert FieldFilter.parse("extra.deep.value=7").matches(event)
    assert not FieldFilter.parse("content.missing=1-1").matches(event)
    assert not FieldFilter.parse("content.callid.more=1-1").matches(event)
    assert not FieldFilter.parse("extra.deep.value=8").matches(event)


def test_filter_regexp_value_must_match_whole_text() -> None:
    event = _event("AgentEvent_Talking", {"callid": "1455885056-1095"})
    assert FieldFilter.parse("callid=regexp:\\d+-\\d+").matches(event)
    assert FieldFilter.parse("callid=regexp:1455.*").matches(event)
    assert not FieldFilter.parse("callid=regexp:1455").matches(event)  # fullmatch, not search
    assert not FieldFilter.parse("callid=regexp:x.*").matches(event)


def test_filter_parse_fields() -> None:
    plain = FieldFilter.parse(" callid =1-1=2")
    assert (plain.field, plain.expected, plain.regexp) == ("callid", "1-1=2", False)
    pattern = FieldFilter.parse("callid=regexp:1-.*")
    assert (pattern.field, pattern.expected, pattern.regexp) == ("callid", "1-.*", True)
    assert str(pattern) == "callid=regexp:1-.*"
    assert str(plain) == "callid=1-1=2"


def test_filter_value_is_compared_as_text() -> None:
    assert FieldFilter.parse("phoneState=2").matches(_event("AgentOther_PhoneRelease", {"phoneState": 2}))
    assert FieldFilter.parse("reason=").matches(_event("AgentState_SetNotReady_Success", {"reason": None}))


@pytest.mark.parametrize("text", ["callid", "=1-1", "  =1-1", ""])
def test_malformed_filter_text(text: str) -> None:
    with pytest.raises(CCGatewayError, match="must look like name=value"):
        FieldFilter.parse(text)


def test_filter_works_as_journal_predicate(journal: EventJournal) -> None:
    journal.append(_event("AgentEvent_Talking", {"callid": "1-1"}))
    journal.append(_event("AgentEvent_Hold", "1-1"))
    journal.append(_event("AgentEvent_Talking", {"callid": "1-2"}))
    wanted = FieldFilter.parse("callid=1-2")
    found, passed = journal.wait_for(Cursor(), lambda r: wanted.matches(r.event), timeout=0)
    assert found is not None and found.seq == 3
    assert [p.seq for p in passed] == [1, 2]


@pytest.mark.parametrize("text", ["nothere=", "content.nothere=", "content.callid.deeper=", "workNo.x="])
def test_filter_on_a_missing_field_never_matches_even_an_empty_value(text: str) -> None:
    event = {"eventType": "AgentEvent_Talking", "workNo": "101", "content": {"callid": "1-1", "empty": None}}
    assert not FieldFilter.parse(text).matches(event)
    assert FieldFilter.parse("empty=").matches(event)  # a field that is there, with no value


def test_filter_content_names_a_bare_string_content() -> None:
    event = _event("AgentEvent_Hold", "1-1")
    assert FieldFilter.parse("content=1-1").matches(event)
    assert FieldFilter.parse("CallId=1-1").matches(event)
    assert not FieldFilter.parse("caller=1-1").matches(event)


def test_filter_value_without_regexp_is_literal() -> None:
    event = _event("AgentEvent_Talking", {"callid": "1x1"})
    assert not FieldFilter.parse("callid=1.1").matches(event)
    assert FieldFilter.parse("callid=regexp:1.1").matches(event)
