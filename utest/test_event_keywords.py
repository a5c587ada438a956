"""The event assertion keywords, on journals filled by hand (no gateway)."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.context import AgentHandle
from CCGatewayLibrary.errors import CCGatewayError, EventArrivedError, EventTimeoutError
from CCGatewayLibrary.events import EventJournal

SHORT = timedelta(milliseconds=50)


def _library(*aliases: str) -> CCGatewayLibrary:
    library = CCGatewayLibrary()
    for number, alias in enumerate(aliases, start=101):
        handle = AgentHandle(alias, str(number), SimpleNamespace(close=lambda: None), EventJournal(str(number)))
        library.ctx.agents[alias] = handle
        library.ctx.current_alias = alias
    return library


def _event(name: str, content: Any = None) -> dict[str, Any]:
    return {"eventType": name, "workNo": "101", "content": content}


def _feed(library: CCGatewayLibrary, alias: str, *events: dict[str, Any]) -> None:
    for event in events:
        library.ctx.agent(alias).journal.append(event)


def test_clear_events_skips_what_came_and_keeps_the_history() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentState_Ready"), _event("AgentState_Busy"))
    assert library.clear_events() == 2
    assert library.clear_events() == 0
    with pytest.raises(EventTimeoutError):
        library.wait_for_event("AgentState_Ready", timeout=SHORT)
    assert [item["eventType"] for item in library.get_event_history()] == ["AgentState_Ready", "AgentState_Busy"]


def test_event_should_not_arrive_leaves_the_position_alone() -> None:
    library = _library("a")
    library.event_should_not_arrive("AgentState_Ready", within=SHORT)
    _feed(library, "a", _event("AgentState_Busy"), _event("AgentState_Ready"))
    with pytest.raises(EventArrivedError, match=r"^AgentState_Ready \(#2\) arrived for agent 101 \('a'\) within"):
        library.event_should_not_arrive("AgentState_Ready", within=SHORT)
    library.event_should_not_arrive("AgentState_SetNotReady_Success", within=SHORT, reason="7")
    assert library.wait_for_event("AgentState_Busy")["eventType"] == "AgentState_Busy"


def test_events_in_order_with_filters_and_others_between() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Hold", "1-1"), _event("AgentState_Busy"),
          _event("AgentEvent_Talking", {"callid": "1-2"}), _event("AgentEvent_Talking", {"callid": "1-1"}))
    found = library.wait_for_events_in_order("AgentEvent_Hold callid=1-1", "AgentEvent_Talking callid=1-1",
                                             timeout=SHORT)
    assert [event["content"] for event in found] == ["1-1", {"callid": "1-1"}]


def test_events_out_of_order_fail_with_the_order_that_came() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentState_Ready"), _event("AgentState_Busy"))
    with pytest.raises(EventTimeoutError) as failure:
        library.wait_for_events_in_order("AgentState_Busy", "AgentState_Ready", timeout=SHORT)
    assert str(failure.value) == (
        "Events did not arrive in order for agent 101 ('a') in 50 milliseconds: found AgentState_Busy (#2); then "
        "AgentState_Ready did not follow. Arrived, in order: AgentState_Ready (#1), AgentState_Busy (#2).")


def test_count_returns_that_many_events() -> None:
    library = _library("a")
    _feed(library, "a", *[_event("AgentState_SetNotReady_Success", {"reason": str(r)}) for r in (1, 2, 3)])
    two = library.wait_for_event("AgentState_SetNotReady_Success", count=2)
    assert [event["content"]["reason"] for event in two] == ["1", "2"]
    with pytest.raises(EventTimeoutError, match=r"\(1 of 2 arrived\)"):
        library.wait_for_event("AgentState_SetNotReady_Success", count=2, timeout=SHORT)
    with pytest.raises(CCGatewayError, match="count must be 1 or more"):
        library.wait_for_event("AgentState_Ready", count=0)


def test_a_filter_on_a_field_the_event_has_not_got_fails_at_once() -> None:
    library = _library("a")
    with pytest.raises(CCGatewayError, match=r"AgentEvent_Hold has no field 'caller' to filter on; its fields are "
                                             r"callid, content, eventGenTime, eventType, workNo\."):
        library.wait_for_event("AgentEvent_Hold", timeout=timedelta(seconds=30), caller="1")
    library.event_should_not_arrive("AgentEvent_Hold", within=SHORT, callid="1-1")  # a field it has


def test_timeout_names_the_filter_that_did_not_match_and_the_value() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Talking", {"callid": "1-2", "caller": "888"}))
    with pytest.raises(EventTimeoutError) as failure:
        library.wait_for_event("AgentEvent_Talking", timeout=SHORT, callid="1-1", caller="888")
    assert "Not matching: AgentEvent_Talking (#1): callid was '1-2', wanted '1-1'." in str(failure.value)


def test_event_on_agents_names_those_it_did_not_reach() -> None:
    library = _library("a", "b", "c")
    _feed(library, "a", _event("AgentEvent_Conference", {"callid": "1-1", "partner": "1,2"}))
    _feed(library, "c", _event("AgentEvent_Conference", {"callid": "1-1", "partner": "1,2"}))
    with pytest.raises(EventTimeoutError, match=r"did not reach agent 102 \('b'\) in 50 milliseconds "
                                                r"\(reached: a, c\)\.$"):
        library.wait_for_event_on_agents("AgentEvent_Conference", "a", "b", "c", timeout=SHORT, callid="1-1")
    _feed(library, "b", _event("AgentEvent_Conference", {"callid": "1-1", "partner": "1,2"}))
    assert set(library.wait_for_event_on_agents("AgentEvent_Conference", "b", timeout=SHORT)) == {"b"}


def test_scoped_settings_are_put_back_when_the_test_or_suite_ends() -> None:
    library = _library("a")
    scopes, settings = library.ctx.scopes, library.ctx.settings
    scopes.enter("Suite")
    assert library.set_event_timeout(timedelta(seconds=3)) == "10 seconds"
    scopes.enter("Test")
    library.set_event_timeout(timedelta(seconds=1), scope="Test")
    library.set_poll_interval(timedelta(milliseconds=500), scope="Test")
    assert (settings.event_timeout, settings.poll_interval) == (1.0, 0.5)
    scopes.leave()
    assert (settings.event_timeout, settings.poll_interval) == (3.0, 0.2)
    library.set_event_timeout(timedelta(seconds=7), scope="Global")
    scopes.leave()
    assert settings.event_timeout == 7.0  # a global change outlives the suite
    with pytest.raises(CCGatewayError, match="scope=Test needs a running test"):
        library.set_event_timeout(timedelta(seconds=1), scope="Test")


def test_a_timeout_after_a_gap_says_an_event_may_have_been_lost() -> None:
    library = _library("a")
    journal = library.ctx.agent("a").journal
    journal.problem("poll failed: no reply within 3 s.", gap=True)
    with pytest.raises(EventTimeoutError, match=r"An event may have been lost in transport: 1 poll\(s\) failed after "
                                                r"reaching the gateway, the last at \d\d:\d\d:\d\d \(poll failed: no "
                                                r"reply within 3 s\.\)\.$"):
        library.wait_for_event("AgentState_Ready", timeout=SHORT)
    journal.append(_event("AgentState_Busy"))
    library.wait_for_event("AgentState_Busy")
    with pytest.raises(EventTimeoutError) as later:  # the gap lies before what the wait looks at now
        library.wait_for_event("AgentState_Ready", timeout=SHORT)
    assert "may have been lost" not in str(later.value)


def test_clear_events_returns_only_what_no_wait_had_returned() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentState_Ready"), _event("AgentState_Busy"), _event("AgentState_Ready"))
    library.wait_for_event("AgentState_Busy", timeout=SHORT)  # passes over the first, returns the second
    assert library.clear_events() == 1


def test_event_count_should_be_counts_exactly_and_waits_for_late_ones() -> None:
    import threading

    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Hold", "1-1"), _event("AgentEvent_Talking"),
          _event("AgentEvent_Hold", "2-2"))
    found = library.event_count_should_be(2, "AgentEvent_Hold", timeout=SHORT, settle=SHORT)
    assert [event["content"] for event in found] == ["1-1", "2-2"]
    assert library.event_count_should_be(1, "AgentEvent_Hold", settle=SHORT, callid="2-2")[0]["content"] == "2-2"
    library.wait_for_event("AgentEvent_Talking", timeout=SHORT)  # the count moved no wait position
    late = threading.Timer(0.1, _feed, (library, "a", _event("AgentEvent_Hold", "3-3")))
    late.start()
    assert len(library.event_count_should_be(3, "AgentEvent_Hold", timeout=timedelta(seconds=5), settle=SHORT)) == 3


@pytest.mark.parametrize(("expected", "message"), [
    (1, r"AgentEvent_Hold arrived 2 time\(s\) for agent 101 \('a'\) in this test \(waited 50 milliseconds and 50 "
        r"milliseconds more\), expected 1: AgentEvent_Hold \(#1\), AgentEvent_Hold \(#3\)\."),
    (3, r"AgentEvent_Hold arrived 2 time\(s\) .* \(waited 50 milliseconds\), expected 3"),
    (0, r"arrived 2 time\(s\)"),
])
def test_event_count_should_be_fails_naming_what_came(expected: int, message: str) -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Hold", "1-1"), _event("AgentEvent_Talking"),
          _event("AgentEvent_Hold", "2-2"))
    with pytest.raises(CCGatewayError, match=message):
        library.event_count_should_be(expected, "AgentEvent_Hold", timeout=SHORT, settle=SHORT)


def test_event_count_should_be_counts_from_the_last_clear_events() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Hold", "1-1"))
    library.clear_events()
    _feed(library, "a", _event("AgentEvent_Hold", "2-2"))
    assert [e["content"] for e in library.event_count_should_be(1, "AgentEvent_Hold", settle=SHORT)] == ["2-2"]


def test_a_wait_for_an_event_that_came_before_the_last_one_returned_says_so() -> None:
    """Events that came in another order than the waits expected are not "no other event arrived"."""
    library = _library("a")
    _feed(library, "a", _event("AgentOther_PhoneRelease"), _event("AgentState_Ready"))
    library.wait_for_event("AgentState_Ready", timeout=SHORT)
    with pytest.raises(EventTimeoutError) as failure:
        library.wait_for_event("AgentOther_PhoneRelease", timeout=SHORT)
    assert str(failure.value).endswith(
        "No other event arrived. It did arrive earlier (AgentOther_PhoneRelease (#1)), before the last event a wait "
        "returned (#2): a wait looks only at events after that one. Wait for events in the order they come "
        "(`Wait For Events In Order`) or read `Get Event History`."), str(failure.value)
    with pytest.raises(EventTimeoutError) as filtered:  # an earlier event the filter does not match is not named
        library.wait_for_event("AgentOther_PhoneRelease", timeout=SHORT, content="x")
    assert "did arrive earlier" not in str(filtered.value)


def test_events_in_any_order_each_matched_by_a_different_event() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentEvent_Talking", {"callid": "1-2"}), _event("AgentState_Busy"),
          _event("AgentEvent_Talking", {"callid": "1-1"}), _event("AgentState_Ready"))
    # the unfiltered Talking must not take 1-2, the only one the filtered item accepts
    found = library.wait_for_events_in_any_order("AgentEvent_Talking", "AgentEvent_Talking callid=1-2",
                                                 "AgentState_Busy", timeout=SHORT)
    assert [event["content"] for event in found] == [{"callid": "1-1"}, {"callid": "1-2"}, None]
    assert library.wait_for_event("AgentState_Ready", timeout=SHORT)["eventType"] == "AgentState_Ready"


def test_events_in_any_order_name_what_did_not_come() -> None:
    library = _library("a")
    _feed(library, "a", _event("AgentState_Busy"))
    with pytest.raises(EventTimeoutError, match=r"^Events did not all arrive for agent 101 \('a'\) in 50 "
                                                r"milliseconds: none arrived for AgentState_Ready\. Arrived: "
                                                r"AgentState_Busy \(#1\)\.$"):
        library.wait_for_events_in_any_order("AgentState_Busy", "AgentState_Ready", timeout=SHORT)
    with pytest.raises(EventTimeoutError, match="some events were wanted more often than they came"):
        library.wait_for_events_in_any_order("AgentState_Busy", "AgentState_Busy", timeout=SHORT)
    assert library.wait_for_event("AgentState_Busy", timeout=SHORT)["eventType"] == "AgentState_Busy"  # not moved
