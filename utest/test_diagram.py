"""The per-test sequence diagram: what the renderer draws, what the recorder keeps, and what a Robot run logs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from diagram_suite import (
    AGENT,
    CUSTOMER,
    FAILING_TEST,
    LANE_LABEL,
    PASSING_TEST,
    SIMULATOR_ACTIONS,
    SuiteRun,
    run_suite,
)
from robot.api import ExecutionResult

from CCGatewayLibrary.reporting import RecordedRequest, RequestRecorder, render_diagram
from CCGatewayLibrary.reporting.diagram import (
    PARTY_FIELDS,
    AgentInfo,
    DiagramData,
    FailedStep,
    ReceivedEvent,
    party_numbers,
)
from CCGatewayLibrary.reporting.record import MAX_RECORDED, SimulatorAction, simulator_action
from CCGatewayLibrary.secrets import SecretRegistry, find_leaks
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.transport import Exchange

REPO = Path(__file__).resolve().parents[1]
SVG = "{http://www.w3.org/2000/svg}"
T0 = datetime(2026, 1, 1, 12, 0, 0)


def at(ms: int) -> datetime:
    return T0 + timedelta(milliseconds=ms)


def svg_of(fragment: str, index: int = 0) -> ET.Element:
    """The fragment's first (or ``index``-th) <svg>, parsed as XML: a stray '<' or '&' makes this fail."""
    found = re.findall(r"<svg .*?</svg>", fragment, re.S)
    assert len(found) > index, fragment[:300]
    return ET.fromstring(found[index])


def texts(svg: ET.Element, klass: str | None = None) -> list[str]:
    """Texts of <text> elements in document order, optionally only within groups of class ``klass``."""
    if klass is None:
        return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text")]
    return ["".join(t.itertext()) for g in svg.iter(f"{SVG}g") if klass in g.get("class", "").split()
            for t in g.iter(f"{SVG}text")]


def lane_labels(svg: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in svg.iter(f"{SVG}text") if t.get("class") == "ccgw-lane-label"]


def request(ms: int, interface: str, retcode: str | None = "0", agent: str = "101", status: int | None = 200,
            took: float | None = 12.0, keyword: str | None = None) -> RecordedRequest:
    return RecordedRequest(at(ms), agent, interface, status, retcode, took, keyword)


def rows_of(svg: ET.Element, kind: str) -> list[ET.Element]:
    return [g for g in svg.iter(f"{SVG}g") if f"ccgw-{kind}" in g.get("class", "").split()]


def event(ms: int, name: str, content: object = None, agent: str = "101", seq: int = 1) -> ReceivedEvent:
    return ReceivedEvent(agent, seq, name, at(ms), content)


def call_data() -> DiagramData:
    return DiagramData(
        T0,
        agents=[AgentInfo("101", "101", "70001"), AgentInfo("102", "helper", "70002")],
        requests=[request(5, "login"), request(40, "answer"), request(90, "hold", "200-013", took=3),
                  request(20, "login", agent="102")],
        events=[event(30, "AgentEvent_Ringing", {"caller": "88880001", "called": "70001", "callid": "c1"}),
                event(60, "AgentEvent_Talking", {"caller": "88880001", "called": "70001"}, seq=2),
                event(70, "AgentEvent_Conference", {"partner": "88880001,88880002"}, seq=3)],
    )


# -- lanes ----------------------------------------------------------------------------------------------
def test_lanes_are_agents_then_gateway_then_far_ends_in_order_of_appearance() -> None:
    svg = svg_of(render_diagram(call_data()))
    assert lane_labels(svg) == ["101", "helper (102)", "Gateway", "88880001", "88880002"]


def test_an_agents_own_phone_and_agent_numbers_are_not_far_ends() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101", "70001"), AgentInfo("102", "102", "70002")], events=[
        event(1, "AgentEvent_Talking", {"caller": "70001", "called": "70002"}),
        event(2, "AgentEvent_Ringing", {"caller": "a103", "called": "A104"}),
        event(3, "AgentEvent_Customer_Alerting", {"otherPhone": "102", "otherPhoneWorkno": "102"}),
        event(4, "AgentEvent_Ringing", {"caller": "70001", "called": "70002"}, agent="102"),
    ])
    assert lane_labels(svg_of(render_diagram(data))) == ["101", "102", "Gateway"]


def test_party_numbers_reads_each_party_field_and_splits_conference_partners() -> None:
    assert party_numbers({"caller": "1", "called": "2", "partner": "3, 4,1", "number": 5, "callid": "9"}) == \
        ["1", "2", "3", "4", "5"]
    assert party_numbers("callid-as-text") == []
    assert party_numbers({"caller": None, "called": True, "partner": ""}) == []


def test_each_party_field_is_a_field_of_some_event_schema() -> None:
    fields: set[str] = set()
    for path in (REPO / "schemas" / "events").glob("*.schema.json"):
        content = json.loads(path.read_text(encoding="utf-8")).get("properties", {}).get("content", {})
        fields |= set(content.get("properties", {}))
    assert set(PARTY_FIELDS) <= fields


def test_a_lane_notes_the_agents_phone_and_whether_it_signed_out() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101", "70001", signed_in=False), AgentInfo("102", "102")],
                       requests=[request(1, "logout"), request(2, "sayFree", agent="102")])
    notes = [t for t in texts(svg_of(render_diagram(data)), "ccgw-lane-agent") if not t.isdigit()]
    assert notes == ["phone 70001 \u00b7 signed out"]


def test_an_agent_seen_only_in_requests_gets_a_lane_and_an_idle_agent_gets_none() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], requests=[request(1, "login", "100-004", agent="555")])
    assert lane_labels(svg_of(render_diagram(data))) == ["555", "Gateway"]


def test_many_far_ends_share_the_last_lane() -> None:
    numbers = [f"8888{i:04d}" for i in range(9)]
    data = DiagramData(T0, agents=[AgentInfo("101", "101")],
                       events=[event(1, "AgentEvent_Conference", {"partner": ",".join(numbers)})])
    labels = lane_labels(svg_of(render_diagram(data)))
    assert labels[2:7] == numbers[:5]
    assert labels[7] == "4 numbers"
    assert len(labels) == 8


# -- rows -----------------------------------------------------------------------------------------------
def test_rows_are_in_time_order_with_time_since_the_start() -> None:
    svg = svg_of(render_diagram(call_data()))
    rows = [g for g in svg.iter(f"{SVG}g") if g.get("class", "").split()[0] in ("ccgw-request", "ccgw-event")]
    labels = [[t for t in texts(g)] for g in rows]
    assert [row[1].split(" \u00b7 ")[0] for row in labels] == [
        "login", "login", "AgentEvent_Ringing", "answer", "AgentEvent_Talking", "AgentEvent_Conference", "hold"]
    assert [row[0] for row in labels] == ["+5 ms", "+20 ms", "+30 ms", "+40 ms", "+60 ms", "+70 ms", "+90 ms"]


def test_a_request_shows_interface_retcode_and_time_taken_and_its_arrow_points_at_the_gateway() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], requests=[request(5, "sayFree", took=14.4)])
    svg = svg_of(render_diagram(data))
    assert "sayFree \u00b7 0 \u00b7 14 ms" in texts(svg, "ccgw-request")
    line = next(next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "ccgw-request").iter(f"{SVG}line"))
    agent_x, gateway_x = (int(lifeline.get("x1")) for g in svg.iter(f"{SVG}g") if "ccgw-lane" in g.get("class", "")
                          for lifeline in g.iter(f"{SVG}line"))
    assert int(line.get("x1")) == agent_x
    assert agent_x < int(line.get("x2")) <= gateway_x


def test_an_event_arrow_runs_from_the_gateway_to_its_agent_and_marks_the_far_end() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101"), AgentInfo("102", "102")],
                       requests=[request(1, "login")],
                       events=[event(5, "AgentEvent_Ringing", {"caller": "88880001"}, agent="102")])
    svg = svg_of(render_diagram(data))
    lifelines = [int(next(g.iter(f"{SVG}line")).get("x1")) for g in svg.iter(f"{SVG}g")
                 if "ccgw-lane" in g.get("class", "")]
    row = next(g for g in svg.iter(f"{SVG}g") if g.get("class") == "ccgw-event")
    arrow = next(line for line in row.iter(f"{SVG}line") if line.get("stroke-dasharray") == "5 3")
    assert int(arrow.get("x1")) == lifelines[2]  # gateway
    assert lifelines[1] < int(arrow.get("x2")) < lifelines[2]  # ends at agent 102, not 101
    assert [int(c.get("cx")) for c in row.iter(f"{SVG}circle")] == [lifelines[3]]  # the customer's lane


def test_failed_requests_and_failed_keywords_are_highlighted_and_successes_are_not() -> None:
    data = call_data()
    data.requests += [request(95, "answer", agent="102", status=None, took=None),
                      request(96, "release", agent="102", status=503, retcode=None)]
    data.failures += [FailedStep(at(97), "Hold Call", "hold failed for agent 101: retcode 200-013"),
                      FailedStep(at(50), "Retrieve Call", "getHold failed", caught=True)]
    svg = svg_of(render_diagram(data, describe_retcode=lambda code: f"{code} (meaning)"))
    failed = [g for g in svg.iter(f"{SVG}g") if "ccgw-failed" in g.get("class", "").split()]
    assert [texts(g)[1] for g in failed] == [
        "hold \u00b7 \u2717 200-013 \u00b7 3 ms", "answer \u00b7 \u2717 no reply",
        "release \u00b7 \u2717 HTTP 503 \u00b7 12 ms",
        "\u2717 Hold Call: hold failed for agent 101: retcode 200-013"]
    assert all(g.find(f"{SVG}rect").get("fill") == "#fee2e2" for g in failed)
    assert "hold for agent 101 at +90 ms: retcode 200-013 (meaning), 3 ms" in [
        g.findtext(f"{SVG}title") for g in failed]
    caught = [g for g in svg.iter(f"{SVG}g") if "ccgw-caught" in g.get("class", "").split()]
    assert [texts(g)[1] for g in caught] == ["\u2717 caught: Retrieve Call: getHold failed"]
    fine = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "ccgw-request"]
    assert len(fine) == 3 and all(g.find(f"{SVG}rect") is None for g in fine)


def test_an_event_that_breaks_its_schema_is_marked() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")],
                       events=[ReceivedEvent("101", 1, "AgentEvent_Hold", at(1), None, "content: not a string")])
    fragment = render_diagram(data)
    assert "\u26a0 AgentEvent_Hold" in texts(svg_of(fragment))
    assert "breaks its schema: content: not a string" in fragment


def test_a_request_is_labelled_with_the_keyword_that_sent_it_and_the_interface() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], requests=[
        request(1, "hold", keyword="Hold Call"), request(2, "getAgentEvent"),
        request(3, "conference", "200-013", keyword="Make Three Party Call With A Very Long Name Indeed")])
    svg = svg_of(render_diagram(data))
    hold, poll, long = [texts(g)[1] for g in rows_of(svg, "request")]
    assert (hold, poll) == ("Hold Call \u00b7 hold \u00b7 0 \u00b7 12 ms", "getAgentEvent \u00b7 0 \u00b7 12 ms")
    # Too long: the keyword is cut, not the outcome.
    assert long.startswith("Make Th") and long.endswith("\u2026 \u00b7 conference \u00b7 \u2717 200-013 \u00b7 12 ms")
    assert rows_of(svg, "request")[0].findtext(f"{SVG}title") == \
        "hold sent by Hold Call for agent 101 at +1 ms: retcode 0, 12 ms"


def action(ms: int, name: str, description: str, agent: str | None = None, parties: tuple[str, ...] = (),
           refused: bool = False) -> SimulatorAction:
    return SimulatorAction(at(ms), name, description, agent, parties, refused)


def test_simulator_actions_are_rows_on_the_simulators_lane_at_the_moment_they_happened() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101", "70001")],
                       requests=[request(5, "sayFree", keyword="Set Agent Ready")],
                       events=[event(30, "AgentEvent_Ringing", {"caller": "88880001"})],
                       actions=[action(20, "offer_call", "inbound call from 88880001", "101", ("88880001",)),
                                action(40, "expire_guid", "Guid expired", "101"),
                                action(50, "restart", "restart, port closed 0.5 s")])
    fragment = render_diagram(data)
    svg = svg_of(fragment)
    assert lane_labels(svg) == ["101", "Gateway", "Simulator", "88880001"]
    kinds = [(g.get("class"), texts(g)[:2]) for g in svg.iter(f"{SVG}g")
             if g.get("class", "").split()[0] in ("ccgw-request", "ccgw-event", "ccgw-simulator")]
    assert kinds == [("ccgw-request", ["+5 ms", "Set Agent Ready \u00b7 sayFree \u00b7 0 \u00b7 12 ms"]),
                     ("ccgw-simulator", ["+20 ms", "inbound call from 88880001"]),
                     ("ccgw-event", ["+30 ms", "AgentEvent_Ringing"]),
                     ("ccgw-simulator", ["+40 ms", "Guid expired"]),
                     ("ccgw-simulator", ["+50 ms", "restart, port closed 0.5 s"])]
    lifelines = [int(next(g.iter(f"{SVG}line")).get("x1")) for g in svg.iter(f"{SVG}g")
                 if "ccgw-lane" in g.get("class", "")]
    call, expiry, restart = rows_of(svg, "simulator")
    assert all(g.find(f"{SVG}rect").get("fill") == "#f5f3ff" for g in (call, expiry, restart))  # not a request's
    arrow = next(line for line in restart.iter(f"{SVG}line"))
    assert lifelines[1] < int(arrow.get("x2")) < int(arrow.get("x1")) < lifelines[2]  # simulator -> gateway
    joined = {int(line.get("x1")) for line in call.iter(f"{SVG}line") if line.get("stroke-dasharray") == "1 3"}
    assert joined == {lifelines[0], lifelines[3]}  # the agent called and the caller's far end
    assert {int(line.get("x1")) for line in restart.iter(f"{SVG}line") if line.get("stroke-dasharray")} == set()
    assert call.findtext(f"{SVG}title") == "Simulator offer call at +20 ms: inbound call from 88880001, agent 101"
    assert "simulator action (restart, fault, Guid, call)" in texts(svg, "ccgw-legend")
    assert "3 simulator actions" in fragment


def test_a_refused_simulator_action_is_marked_failed_and_an_unknown_agent_gets_a_lane() -> None:
    data = DiagramData(T0, actions=[action(1, "expire_guid", "Guid expired", "555", refused=True)])
    svg = svg_of(render_diagram(data))
    assert lane_labels(svg) == ["555", "Gateway", "Simulator"]
    row = rows_of(svg, "simulator")[0]
    assert row.get("class") == "ccgw-simulator ccgw-failed"
    assert texts(row)[1] == "\u2717 Guid expired"
    assert (row.findtext(f"{SVG}title") or "").endswith("; refused by the simulator")


def test_a_diagram_without_simulator_actions_has_no_simulator_lane() -> None:
    assert "Simulator" not in lane_labels(svg_of(render_diagram(call_data())))


def test_long_tests_keep_the_first_and_last_rows_and_say_how_many_are_left_out() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")],
                       requests=[request(i, f"step{i}") for i in range(200)])
    fragment = render_diagram(data, max_rows=30)
    svg = svg_of(fragment)
    shown = [t.split(" \u00b7 ")[0] for t in texts(svg, "ccgw-request") if t.startswith("step")]
    assert shown == [f"step{i}" for i in [*range(20), *range(190, 200)]]
    assert "\u2026 170 more rows not shown \u2026" in texts(svg)
    assert "(30 of 200 rows shown)" in fragment
    assert float(svg.get("height")) < 30 * 25 + 200  # the size follows the rows shown
    # every row a click away, in a closed section after the shortened diagram
    assert '<details class="ccgw-diagram-all"><summary>All 200 rows</summary>' in fragment
    every = [t.split(" \u00b7 ")[0] for t in texts(svg_of(fragment, 1), "ccgw-request") if t.startswith("step")]
    assert every == [f"step{i}" for i in range(200)]
    assert "more rows not shown" not in "".join(texts(svg_of(fragment, 1)))
    longer = DiagramData(T0, agents=[AgentInfo("101", "101")], requests=[request(i, f"s{i}") for i in range(401)])
    assert "ccgw-diagram-all" not in render_diagram(longer)  # beyond ALL_ROWS only the shortened one


def test_requests_beyond_the_recorders_limit_are_counted() -> None:
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], requests=[request(1, "login")], unrecorded=7)
    fragment = render_diagram(data)
    assert "\u2026 7 more requests were not recorded \u2026" in texts(svg_of(fragment))
    assert "8 requests" in fragment


def test_nothing_to_show_gives_no_diagram() -> None:
    assert render_diagram(DiagramData(T0, agents=[AgentInfo("101", "101")])) == ""


def test_every_text_is_escaped() -> None:
    hostile = "<script>alert('x')</script> & \"q\""
    data = DiagramData(T0, agents=[AgentInfo("101", hostile, "7&0")],
                       requests=[request(1, "login<b>", retcode="0&1")],
                       events=[event(2, "Event<i>", {"caller": "<8>&"})],
                       failures=[FailedStep(at(3), "K<w>", hostile)])
    fragment = render_diagram(data)
    svg = svg_of(fragment)  # parses: nothing unescaped
    assert "<script>" not in fragment and "<b>" not in fragment and "<i>" not in fragment
    assert any(hostile[:20] in t for t in lane_labels(svg))
    assert "<8>&" in lane_labels(svg)
    assert any(t.startswith("login<b>") for t in texts(svg, "ccgw-request"))
    assert f"\u2717 K<w>: {hostile}" in texts(svg)


def test_every_text_passes_the_scrubber_before_it_is_escaped() -> None:
    registry = SecretRegistry()
    secret = "pa<ss>&word-42"
    registry.register(secret)
    data = DiagramData(T0, agents=[AgentInfo("101", f"alias {secret}")],
                       requests=[request(1, "login")],
                       failures=[FailedStep(at(2), "Sign In Agent", f"refused {secret}")])
    fragment = render_diagram(data, scrub=registry.scrub)
    assert find_leaks(fragment, [secret]) == []
    assert "&lt;secret&gt;" in fragment
    svg_of(fragment)


# -- the recorder ---------------------------------------------------------------------------------------
def exchange(retcode: object = "0", status: int = 200) -> Exchange:
    guid = "0a1b2c3d-1111-2222-3333-444455556666.AgentGateway1"
    return Exchange("POST", "https://gw:8043/agentgateway/resource/onlineagent/101/login", status, "OK",
                    {"Guid": guid}, {"password": "Very-Secret-1"}, {"Set-GUID": f"JSESSIONID={guid}"},
                    json.dumps({"retcode": retcode, "result": {"guid": guid}}), 17.5,
                    json={"retcode": retcode, "result": {"guid": guid}})


def test_the_recorder_keeps_when_who_what_and_outcome_but_no_header_or_body() -> None:
    recorder = RequestRecorder()
    recorder.start()
    recorder.request(T0, "101", "login", exchange())
    recorder.request(at(5), "101", "hold", exchange(retcode=200013, status=200))
    recorder.request(at(9), "101", "answer", None)
    taken, dropped = recorder.finish()
    assert taken == [RecordedRequest(T0, "101", "login", 200, "0", 17.5),
                     RecordedRequest(at(5), "101", "hold", 200, "200013", 17.5),
                     RecordedRequest(at(9), "101", "answer")]
    assert dropped == 0
    assert find_leaks(repr(taken), ["Very-Secret-1"]) == []


def test_the_recorder_records_only_within_a_test_and_only_when_enabled() -> None:
    recorder = RequestRecorder()
    recorder.request(T0, "101", "login", exchange())  # before any test: suite setup
    recorder.start()
    recorder.request(T0, "101", "sayFree", exchange())
    assert [r.interface for r in recorder.finish()[0]] == ["sayFree"]
    recorder.request(T0, "101", "logout", exchange())  # after the test: suite teardown
    recorder.start()
    assert recorder.finish() == ([], 0)
    recorder.enabled = False
    recorder.start()
    recorder.request(T0, "101", "sayBusy", exchange())
    assert recorder.finish() == ([], 0)


def test_the_recorder_counts_what_it_does_not_keep() -> None:
    recorder = RequestRecorder()
    recorder.start()
    for _ in range(MAX_RECORDED + 3):
        recorder.request(T0, "101", "handShake", None)
    taken, dropped = recorder.finish()
    assert (len(taken), dropped) == (MAX_RECORDED, 3)


def test_the_recorder_labels_requests_with_the_innermost_keyword_of_the_keyword_thread_only() -> None:
    import threading

    recorder = RequestRecorder()
    recorder.start()
    recorder.request(T0, "101", "login", exchange())  # no keyword running
    recorder.keyword_started("Run Keyword And Expect Error")
    recorder.keyword_started("Hold Call")
    recorder.request(at(1), "101", "hold", exchange())
    poller = threading.Thread(target=recorder.request, args=(at(2), "101", "getAgentEvent", exchange()))
    poller.start()
    poller.join()
    recorder.keyword_ended()
    recorder.request(at(3), "101", "getHold", None)
    recorder.keyword_ended()
    recorder.keyword_ended()  # one end too many does no harm
    recorder.request(at(4), "101", "logout", exchange())
    assert [(r.interface, r.keyword) for r in recorder.finish()[0]] == [
        ("login", None), ("hold", "Hold Call"), ("getAgentEvent", None),
        ("getHold", "Run Keyword And Expect Error"), ("logout", None)]


def control_call(name: str, method: str = "POST", status: int = 200, **arguments: object) -> dict[str, object]:
    import time

    return {"action": name, "arguments": arguments, "method": method, "started": time.monotonic(), "status": status,
            "path": "/x", "body": None, "reply": {}}


def test_a_control_call_that_changes_the_simulator_is_recorded_as_an_action_and_a_read_is_not() -> None:
    before = datetime.now()
    call = simulator_action(control_call("offer_call", caller="88880001", agent="101"))
    assert call is not None and before <= call.at <= datetime.now()
    assert (call.action, call.description, call.agent_id, call.parties, call.refused) == \
        ("offer_call", "inbound call from 88880001", "101", ("88880001",), False)
    queued = simulator_action(control_call("queue_call", caller="88880002", skill=2, patience=30))
    assert queued is not None and (queued.description, queued.parties) == \
        ("call from 88880002 to skill queue 2, gives up after 30 s", ("88880002",))
    by_code = simulator_action(control_call("queue_call", caller="88880003", access_code="60002"))
    assert by_code is not None and by_code.description == "call from 88880003 to access code 60002"
    gone = simulator_action(control_call("give_up", method="DELETE", callid="1-3"))
    assert gone is not None and gone.description == "caller of call 1-3 gives up"
    fault = simulator_action(control_call("add_fault", status=400, fault="http", interface="hold", agent="*",
                                          value=502, count=2))
    assert fault is not None and (fault.description, fault.agent_id, fault.refused) == \
        ("fault http 502 on next 2 hold", None, True)
    event = simulator_action(control_call("queue_event", agentid="101", eventType="AgentOther_BeQcStart",
                                          content={"qcAgentId": "secret-ish"}))
    assert event is not None and event.description == "event AgentOther_BeQcStart queued"
    assert "secret-ish" not in repr(event)  # an event's content is not kept
    assert simulator_action(control_call("counters", method="GET")) is None
    assert simulator_action(control_call("agent", method="GET", agentid="101")) is None
    recorder = RequestRecorder()
    recorder.control(control_call("expire_guid", agentid="101"))  # outside a test
    recorder.start()
    recorder.control(control_call("expire_guid", agentid="101"))
    recorder.control(control_call("health", method="GET"))
    recorder.finish()
    assert [(a.action, a.agent_id) for a in recorder.actions()] == [("expire_guid", "101")]
    assert recorder.actions() == []


def test_the_control_client_tells_its_hook_each_actions_name_and_arguments(monkeypatch: pytest.MonkeyPatch) -> None:
    import requests

    from CCGatewayLibrary.simulator.control import SimulatorControl

    class Reply:
        status_code, text = 200, "{}"

        @staticmethod
        def json() -> dict[str, str]:
            return {"callid": "c1"}

    monkeypatch.setattr(requests, "request", lambda *args, **kwargs: Reply())
    seen: list[dict[str, object]] = []
    SimulatorControl("https://sim:8043", observe=seen.append).offer_call("88880001", "101")
    assert [(c["action"], c["arguments"], c["method"], c["status"]) for c in seen] == [
        ("offer_call", {"caller": "88880001", "agent": "101"}, "POST", 200)]


# -- in a Robot run -------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def robot_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("diagram-run"))


def _test_messages(output: Path, name: str) -> list[str]:
    suite = ExecutionResult(str(output)).suite
    test = next(t for t in suite.all_tests if t.name == name)
    return [item.message for item in test.body if item.type == "MESSAGE"]


def test_each_test_logs_its_diagram_in_the_test_itself(robot_run: SuiteRun) -> None:
    for name in (PASSING_TEST, FAILING_TEST):
        diagrams = [m for m in _test_messages(robot_run.output, name) if 'class="ccgw-diagram"' in m]
        assert len(diagrams) == 1, name


def test_the_diagram_shows_the_tests_requests_events_and_far_end(robot_run: SuiteRun) -> None:
    svg = svg_of(_test_messages(robot_run.output, PASSING_TEST)[-1])
    assert lane_labels(svg) == [LANE_LABEL, "Gateway", "Simulator", CUSTOMER]
    requests = [(g.findtext(f"{SVG}title") or "").split(" for agent")[0] for g in rows_of(svg, "request")]
    assert requests == ["login sent by Sign In Agent", "sayFree sent by Set Agent Ready", "answer sent by Answer Call",
                        "getHold sent by Retrieve Call", "hold sent by Hold Call",
                        "forceLogout sent by Sign Out All Agents"]  # teardown included
    assert texts(svg, "ccgw-request")[1].startswith("Sign In Agent \u00b7 login \u00b7 0 \u00b7 ")
    events = texts(svg, "ccgw-event")[1::2]
    assert events.index("AgentEvent_Ringing") < events.index("AgentEvent_Talking") < events.index("AgentEvent_Hold")
    caught = texts(svg, "ccgw-caught")
    assert any("Retrieve Call" in t for t in caught)
    assert any(t.startswith("Retrieve Call \u00b7 getHold \u00b7 \u2717 200-015") for t in texts(svg, "ccgw-failed"))


def test_the_diagram_shows_the_simulator_actions_when_they_happened(robot_run: SuiteRun) -> None:
    svg = svg_of(_test_messages(robot_run.output, PASSING_TEST)[-1])
    assert texts(svg, "ccgw-simulator")[1::2] == SIMULATOR_ACTIONS
    order = [(g.get("class", "").split()[0], texts(g)[1]) for g in svg.iter(f"{SVG}g")
             if g.get("class", "").split()[0] in ("ccgw-request", "ccgw-simulator", "ccgw-event")]
    names = [label.split(" \u00b7 ")[0] if kind == "ccgw-request" else label for kind, label in order]
    # Each action comes after the request before it and before what it caused.
    assert names.index("Set Agent Ready") < names.index(SIMULATOR_ACTIONS[0]) < names.index("AgentEvent_Ringing")
    assert names.index("Retrieve Call") < names.index(SIMULATOR_ACTIONS[1]) < names.index("Hold Call")
    fault = rows_of(svg, "simulator")[1]
    assert f"agent {AGENT}" in (fault.findtext(f"{SVG}title") or "")

def test_a_failing_test_has_its_diagram_with_the_failure_marked(robot_run: SuiteRun) -> None:
    svg = svg_of(_test_messages(robot_run.output, FAILING_TEST)[-1])
    # Agent 101 of the other test has a lane only if its last poll brought an event during this test.
    assert lane_labels(svg)[-2:] == ["102", "Gateway"]
    assert not any("for agent 101" in (g.findtext(f"{SVG}title") or "") for g in svg.iter(f"{SVG}g")
                   if g.get("class", "").startswith("ccgw-request"))
    failed = texts(svg, "ccgw-failed")
    assert any(t.startswith("Hold Call \u00b7 hold \u00b7 \u2717 200-013") for t in failed)
    assert any(t.startswith("\u2717 Hold Call: hold failed for agent 102") for t in failed)


def test_no_password_or_guid_reaches_the_outputs(robot_run: SuiteRun) -> None:
    for path in (robot_run.output, robot_run.log):
        assert find_leaks(path.read_text(encoding="utf-8"), [robot_run.password]) == [], path


def test_diagram_false_leaves_it_out(tmp_path: Path) -> None:
    run = run_suite(tmp_path, "--variable", "DIAGRAM:False", "--test", PASSING_TEST)
    messages = _test_messages(run.output, PASSING_TEST)
    assert not any("ccgw-diagram" in m for m in messages)
    assert "1 test, 1 passed" in run.console


def test_a_failure_inside_a_keyword_or_try_that_handles_it_counts_as_caught() -> None:
    from robot.result import TestCase

    from CCGatewayLibrary.listeners import is_caught

    test = TestCase("t")
    plain = test.body.create_keyword("Hold Call")
    expect = test.body.create_keyword(name="Run Keyword And Expect Error", owner="BuiltIn")
    inside_expect = expect.body.create_keyword("Hold Call")
    branch = test.body.create_try().body.create_branch(type="TRY")
    inside_try = branch.body.create_keyword("Hold Call")
    inside_user_keyword = branch.body.create_keyword("My Step").body.create_keyword("Hold Call")
    handler = test.body.create_try().body.create_branch(type="EXCEPT")
    inside_except = handler.body.create_keyword("Hold Call")
    assert [is_caught(k) for k in (plain, inside_expect, inside_try, inside_user_keyword, inside_except)] == \
        [False, True, True, True, False]


SETUP_FAILS = """\
*** Settings ***
Library           CCGatewayLibrary
Suite Setup       Open And Sign In
Suite Teardown    Stop Gateway Simulator

*** Variables ***
${AGENT_PASSWORD: Secret}    %{CCGW_AGENT_PASSWORD}

*** Test Cases ***
Never Runs
    Set Agent Ready

*** Keywords ***
Open And Sign In
    Start Gateway Simulator    poll_wait=1s
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Sign In Agent    102    password=${AGENT_PASSWORD}    phone=70002    expected_retcode=100-002
"""


def test_a_failing_suite_setup_logs_its_diagram_inside_the_failing_keyword(tmp_path: Path) -> None:
    suite = tmp_path / "setup_fails.robot"
    suite.write_text(SETUP_FAILS, encoding="utf-8")
    env = dict(os.environ, CCGW_AGENT_PASSWORD=Roster.load().password_of("101"))
    subprocess.run([sys.executable, "-m", "robot", "--outputdir", str(tmp_path), str(suite)],
                   capture_output=True, text=True, env=env, check=False, cwd=tmp_path, timeout=300)
    setup = ExecutionResult(str(tmp_path / "output.xml")).suite.setup
    failing = setup.body[-1]
    assert failing.failed and failing.name == "Sign In Agent"
    diagrams = [m.message for m in failing.body if m.type == "MESSAGE" and "ccgw-diagram" in m.message]
    assert len(diagrams) == 1
    svg = svg_of(diagrams[0])
    assert lane_labels(svg) == ["101", "102", "Gateway"]
    assert [t.split(" \u00b7 ")[:2] for t in texts(svg, "ccgw-request")[1::2]] == [["Sign In Agent", "login"]] * 2
    assert any(t.startswith("\u2717 Sign In Agent: login succeeded unexpectedly for agent 102")
               for t in texts(svg, "ccgw-failed"))
    assert not any("ccgw-diagram" in m.message for kw in setup.body[:-1] for m in kw.body if m.type == "MESSAGE")


def test_an_inspectors_leg_is_drawn_apart_from_a_talking_one() -> None:
    from CCGatewayLibrary.reporting.diagram import AgentInfo, ReceivedEvent

    started = datetime(2026, 12, 6, 12, 0, 0)
    agents = [AgentInfo("101", "agent", "70001", True), AgentInfo("900", "supervisor", "7900", True)]
    start = ReceivedEvent("101", 1, "AgentOther_BeQcStart", started + timedelta(seconds=1),
                          {"qcType": 20172, "qcAgentId": 900}, None)
    stop = ReceivedEvent("101", 2, "AgentOther_BeQcStop", started + timedelta(seconds=2),
                         {"qcType": 8, "qcAgentId": 900}, None)
    data = DiagramData(started, agents, [], [start, stop])
    svg = render_diagram(data)
    assert ">AgentOther_BeQcStart \u00b7 900 whispering<" in svg and "inspector 900 started whispering" in svg
    assert ">AgentOther_BeQcStop \u00b7 900 listening<" in svg and "inspector 900 stopped listening" in svg
    assert svg.count('class="ccgw-monitor"') == 2 and "inspector listening, whispering or barging in" in svg
    talking = ReceivedEvent("101", 1, "AgentEvent_Talking", started, {"callid": "1-1"}, None)
    plain = render_diagram(DiagramData(started, agents[:1], [], [talking]))
    assert "ccgw-monitor" not in plain and "inspector listening" not in plain


def test_recording_and_playback_events_mark_the_agents_lane() -> None:
    events = [event(10, "AgentMediaEvent_Record", {"callId": "1-1", "fileName": "Y:/1/0/x.wav"}),
              event(20, "AgentMediaEvent_StopRecordDone", {"taskId": 5000}, seq=2),
              event(30, "AgentMediaEvent_Play", None, seq=3),
              event(40, "AgentMediaEvent_PausePlayDone", None, seq=4),
              event(50, "AgentEvent_Hold", "1-1", seq=5)]
    svg = svg_of(render_diagram(DiagramData(T0, [AgentInfo("101", "101")], [], events)))
    marks = [g for g in svg.iter(f"{SVG}g") if g.get("class") == "ccgw-media-mark"]
    assert ["".join(t.itertext()) for g in marks for t in g.iter(f"{SVG}text")] == [
        "\u25cf", "\u25a0", "\u25b6", "\u2016", "\u25cf"]  # the last one is the legend's
    agent_x = next(line.get("x1") for line in svg.iter(f"{SVG}line") if line.get("stroke-dasharray") == "4 3")
    assert {circle.get("cx") for g in marks[:-1] for circle in g.iter(f"{SVG}circle")} == {agent_x}
    tips = ["".join(t.itertext()) for t in svg.iter(f"{SVG}title")]
    assert any(tip.endswith("; the agent's recording") for tip in tips)
    assert any(tip.endswith("; the agent's playback paused") for tip in tips)
    assert any(text.startswith("recording (") for text in texts(svg, "ccgw-legend"))
    plain = render_diagram(DiagramData(T0, [AgentInfo("101", "101")], [], events[-1:]))
    assert "ccgw-media-mark" not in plain and "on the agent's lane" not in plain


def test_a_downloaded_file_is_a_successful_request() -> None:
    recorder = RequestRecorder()
    recorder.start()
    file = Exchange("GET", "https://gw:8043/agentgateway/resource/recordfile/101", 200, "OK", {}, None,
                    {"Content-Type": "application/octet-stream;charset=utf-8"}, "", 4.0, content=b"RIFF")
    recorder.request(T0, "101", "downloadRecordFile", file)
    taken, _ = recorder.finish()
    assert taken == [RecordedRequest(T0, "101", "downloadRecordFile", 200, "0", 4.0)]
