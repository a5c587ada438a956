"""Push mode end to end: the simulator pushes to the library's endpoint, the heartbeat keeps the session and carries
the renewed Guid, and each push fault does what the documentation says."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import trustme
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError, EventTimeoutError
from CCGatewayLibrary.events import PushListener
from CCGatewayLibrary.simulator.faults import FaultError, parse_fault
from CCGatewayLibrary.simulator.model import GatewayModel
from CCGatewayLibrary.simulator.roster import Roster

PASSWORD = Secret(Roster.load().password_of("101"))


@pytest.fixture
def pushed() -> Iterator[CCGatewayLibrary]:
    """Push mode against the simulator at a hundredth of the gateway's timers: heartbeat every 0.3 s, silent
    agents signed out after 1.2 s, Guids renewed every 0.6 s."""
    library = CCGatewayLibrary(event_mode="push", event_timeout=timedelta(seconds=5))
    library.start_gateway_simulator(poll_wait=timedelta(seconds=1), time_scale=0.01)
    yield library
    library.stop_gateway_simulator()
    library.ctx.shut_down()


def _counters(library: CCGatewayLibrary) -> dict[str, Any]:
    return library.get_simulator_counters()


def _eventually(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.05)


def _busy(library: CCGatewayLibrary, reason: int) -> None:
    library.set_agent_busy(reason=200 + reason, prolong=reason > 1)


def test_events_are_pushed_and_nothing_is_polled(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    handle = pushed.ctx.agent()
    assert isinstance(handle.poller, PushListener)
    pushed.wait_for_event("AgentState_Ready")
    customer = pushed.simulate_inbound_call("88880001", "101")
    pushed.wait_for_event("AgentEvent_Ringing", callid=customer)
    counters = _counters(pushed)
    assert counters["pushes"]["sent"] >= 1
    assert "getAgentEvent" not in counters["answers"]
    agent = pushed.ctx.simulator.simulator.model.agents["101"]  # type: ignore[union-attr]
    assert agent.pushed and agent.service_token == handle.poller.registration.token.value


def test_the_heartbeat_keeps_the_agent_signed_in_and_carries_the_renewed_guid(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    guid = pushed.ctx.agent().session.guid
    changes = guid.changes
    time.sleep(2.0)  # longer than the scaled 2 minutes without a sign of life, and several Guid renewals
    assert pushed.get_agent_status()["state"] == "idle"
    assert guid.changes > changes, "no renewed Guid taken from a heartbeat reply"
    assert pushed.get_simulator_counters()["answers"]["handShake"]["0"] >= 3
    _busy(pushed, 1)
    pushed.wait_for_event("AgentState_SetNotReady_Success")


def test_an_agent_in_push_mode_without_heartbeat_is_signed_out_even_if_it_polls(pushed: CCGatewayLibrary) -> None:
    body = {"password": PASSWORD, "phonenum": "70003", "callBackUri": "https://127.0.0.1:9/cb",
            "serviceToken": "abc123"}
    assert pushed.send_raw_request("login", body=body, agent_id="103", send_guid=False)["retcode"] == "0"
    model = pushed.ctx.simulator.simulator.model  # type: ignore[union-attr]
    assert model.agents["103"].pushed
    _eventually(lambda: not model.agents["103"].signed_in, within=6)


def test_a_poll_in_push_mode_is_answered_empty_and_takes_no_event(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    reply = pushed.send_raw_request("getAgentEvent")
    assert reply == {"message": "", "retcode": "0", "event": None}
    _busy(pushed, 1)
    pushed.wait_for_event("AgentState_SetNotReady_Success")


def test_a_sign_in_with_only_one_push_field_polls() -> None:
    model = GatewayModel(Roster.load())
    password = PASSWORD.value
    model.login("101", {"password": password, "callBackUri": "https://cb"})
    model.login("102", {"password": password, "serviceToken": "abc"})
    model.login("103", {"password": password, "callBackUri": "https://cb", "serviceToken": "abc"})
    assert [model.agents[a].pushed for a in ("101", "102", "103")] == [False, False, True]


def test_a_heartbeat_with_a_malformed_service_token_is_refused(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.send_heartbeat(service_token=Secret("not/a-token"), expected_retcode="100-001")
    pushed.send_heartbeat(service_token=Secret("AnotherToken42"))
    assert pushed.ctx.simulator.simulator.model.agents["101"].service_token == "AnotherToken42"  # type: ignore


def test_a_duplicated_push_is_recorded_once(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_fault("push", "duplicate", agent="101")
    _busy(pushed, 1)
    pushed.wait_for_event("AgentState_SetNotReady_Success")
    _eventually(lambda: _counters(pushed)["pushes"]["duplicated"] == 1)
    _eventually(lambda: pushed.ctx.agent().poller.registration.duplicates == 1)  # type: ignore[union-attr]
    with pytest.raises(EventTimeoutError):
        pushed.wait_for_event("AgentState_SetNotReady_Success", timeout=timedelta(seconds=0.5))


def test_a_delayed_push_arrives_late(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_fault("push", "delay", "1", agent="101")
    _busy(pushed, 1)
    pushed.event_should_not_arrive("AgentState_SetNotReady_Success", within=timedelta(seconds=0.5))
    pushed.wait_for_event("AgentState_SetNotReady_Success", timeout=timedelta(seconds=5))


def test_an_unreachable_callback_is_tried_again_and_nothing_is_lost(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_fault("push", "unreachable", agent="101", count=2)
    _busy(pushed, 1)
    pushed.wait_for_event("AgentState_SetNotReady_Success")
    counters = _counters(pushed)
    assert counters["pushes"]["retried"] == 2 and counters["events"]["lost"] == 0


def test_a_callback_unreachable_for_every_try_loses_the_push_and_the_simulator_counts_it(
        pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_fault("push", "unreachable", agent="101", count=4)
    _busy(pushed, 1)
    _eventually(lambda: _counters(pushed)["pushes"]["failed"] == 1)
    assert _counters(pushed)["events"]["lost"] == 1
    pushed.event_should_not_arrive("AgentState_SetNotReady_Success", within=timedelta(seconds=0.2))
    _busy(pushed, 2)  # the next push goes through
    pushed.wait_for_event("AgentState_SetNotReady_Success", reason="202")


def test_a_dropped_push_is_lost_and_counted(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_fault("push", "drop", agent="101")
    _busy(pushed, 1)
    _eventually(lambda: _counters(pushed)["pushes"]["dropped"] == 1)
    assert _counters(pushed)["events"]["lost"] == 1
    pushed.event_should_not_arrive("AgentState_SetNotReady_Success", within=timedelta(seconds=0.3))


def test_an_expired_guid_ends_the_heartbeat_and_the_next_wait_says_why(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    pushed.wait_for_event("AgentState_Ready")
    pushed.simulate_guid_expiry("101")
    with pytest.raises(EventTimeoutError, match=r"cannot arrive for agent 101 any more: .*heartbeat stopped: "
                                                r"heartbeat answered retcode 000-003"):
        pushed.wait_for_event("AgentState_SetNotReady_Success", timeout=timedelta(seconds=5))


def test_the_simulator_verifies_the_callbacks_certificate(pushed: CCGatewayLibrary, tmp_path: Path) -> None:
    pushed.ctx.push_endpoint()
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    pushed.ctx.simulator.simulator.config.callback_ca = other  # type: ignore[union-attr]  # not the endpoint's CA
    pushed.sign_in_agent("101", PASSWORD, "70001")
    _eventually(lambda: _counters(pushed)["pushes"]["failed"] >= 1)
    assert pushed.ctx.agent().journal.last_seq == 0


def test_a_refused_sign_in_leaves_no_registration(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", Secret("wrong-password-1"), "70001", expected_retcode="100-004")
    receiver = pushed.ctx.push_receiver
    assert receiver is not None and receiver._registrations == {}


def test_push_fields_are_the_librarys_in_push_mode(pushed: CCGatewayLibrary) -> None:
    with pytest.raises(CCGatewayError, match="callBackUri is set by the library in push mode"):
        pushed.sign_in_agent("101", PASSWORD, "70001", callBackUri="https://elsewhere")


def test_a_ccs_only_sign_in_polls_in_push_mode(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, ccs_only=True)
    assert not isinstance(pushed.ctx.agent().poller, PushListener)
    pushed.wait_for_event("AgentState_Ready")


@pytest.mark.parametrize(("data", "message"), [
    ({"fault": "http", "interface": "push", "value": 502}, "fault on 'push' must be one of delay, drop, duplicate"),
    ({"fault": "duplicate", "interface": "getAgentEvent"}, "fault duplicate applies to interface 'push' only"),
    ({"fault": "unreachable"}, "fault unreachable applies to interface 'push' only"),
])
def test_push_faults_and_request_faults_do_not_mix(data: dict[str, Any], message: str) -> None:
    with pytest.raises(FaultError, match=message):
        parse_fault(data, {"getAgentEvent"})


def test_the_event_mode_comes_from_the_argument_else_poll_and_a_wrong_one_is_named() -> None:
    assert CCGatewayLibrary().ctx.event_mode() == "poll"
    assert CCGatewayLibrary(event_mode="push").ctx.event_mode() == "push"
    with pytest.raises(CCGatewayError, match="event_mode must be poll or push, got 'pull'"):
        CCGatewayLibrary(event_mode="pull").ctx.event_mode()  # type: ignore[arg-type]


def test_events_are_never_pushed_to_a_plain_http_callback(pushed: CCGatewayLibrary) -> None:
    body = {"password": PASSWORD, "phonenum": "70004", "callBackUri": "http://127.0.0.1:9/cb",
            "serviceToken": "abc123"}
    assert pushed.send_raw_request("login", body=body, agent_id="104", send_guid=False)["retcode"] == "0"
    _eventually(lambda: _counters(pushed)["pushes"]["failed"] == 1)
    assert _counters(pushed)["pushes"]["sent"] == 0


def test_the_push_endpoint_names_an_agents_callback_and_the_ca_but_never_the_token(pushed: CCGatewayLibrary) -> None:
    pushed.sign_in_agent("101", PASSWORD, "70001")
    found = pushed.get_push_endpoint(agent="101")
    assert found["callback"] == found["url"] + "/ccgw-push/v1/agents/101/events"
    assert Path(found["ca_file"]).read_text(encoding="ascii").startswith("-----BEGIN CERTIFICATE-----")
    assert pushed.ctx.agent().poller.registration.token.value not in str(found)  # type: ignore[union-attr]
    pushed.sign_in_agent("102", PASSWORD, ccs_only=True)
    with pytest.raises(CCGatewayError, match="Agent 102 did not sign in in push mode: its events are polled"):
        pushed.get_push_endpoint(agent="102")


# ---------------------------------------------------------------- push mode with other kinds of simulator


def test_a_simulator_process_started_in_push_mode_pushes_to_the_library() -> None:
    library = CCGatewayLibrary(event_mode="push")
    library.start_gateway_simulator(process=True, time_scale=0.05)
    try:
        library.sign_in_agent("101", PASSWORD, "70001")
        library.wait_for_event("AgentState_Ready", timeout=timedelta(seconds=10))
        assert library.ctx.settings.heartbeat_interval == pytest.approx(30 * 0.05)
    finally:
        library.stop_gateway_simulator()
        library.ctx.shut_down()


def test_a_replay_in_push_mode_is_refused_before_it_starts(tmp_path: Path) -> None:
    recording = tmp_path / "session.jsonl"
    recording.write_text("", encoding="utf-8")
    library = CCGatewayLibrary(event_mode="push")
    with pytest.raises(CCGatewayError, match="A replay answers polled sessions only"):
        library.start_gateway_simulator(replay=recording)
    assert library.ctx.simulator is None


def test_recording_a_push_mode_sign_in_is_refused(tmp_path: Path) -> None:
    library = CCGatewayLibrary(event_mode="push", record_to=tmp_path / "session.jsonl")
    library.start_gateway_simulator()
    try:
        with pytest.raises(CCGatewayError, match="record_to records polled sessions only"):
            library.sign_in_agent("101", PASSWORD, "70001")
    finally:
        library.stop_gateway_simulator()
        library.ctx.shut_down()
