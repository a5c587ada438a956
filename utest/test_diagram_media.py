"""The sequence diagram's view of agent conferences and text sessions (reporting/diagram.py): a conference's phone
members are far-end lanes and its agent members agents' lanes, each change is labelled, and a text message shows
at most its first 20 characters (it can hold personal data), in the event's label, its tooltip and the simulator
action that made the customer write."""

from __future__ import annotations

from test_diagram import T0, event, lane_labels, rows_of, svg_of

from CCGatewayLibrary.reporting.diagram import AgentInfo, DiagramData, party_numbers, render_diagram
from CCGatewayLibrary.reporting.record import shortened, simulator_action

SECRET_TAIL = "my card number is 4111 1111 1111 1111"
MESSAGE = "Hello, I need help: " + SECRET_TAIL


def _changed(participant: str, kind: int, change: int, ms: int, agent: str = "101", result: int = 0) -> object:
    return event(ms, "AgentConf_ParticipantChanged",
                 {"participant": participant, "participantType": kind, "changeType": change, "changeReason": 255,
                  "confId": 1030400, "result": result}, agent=agent)


def test_phone_members_are_far_end_lanes_and_agent_members_are_not() -> None:
    assert party_numbers({"participant": "88880061", "participantType": 6}) == ["88880061"]
    assert party_numbers({"participant": "103", "participantType": 9}) == []
    data = DiagramData(T0, agents=[AgentInfo("101", "first", "70101"), AgentInfo("102", "second", "70102")],
                       events=[_changed("102", 9, 0, 10), _changed("88880061", 6, 0, 20),
                               _changed("88880061", 6, 5, 30, agent="102"), _changed("103", 9, 0, 40, result=1)])
    svg = svg_of(render_diagram(data))
    assert lane_labels(svg) == ["first (101)", "second (102)", "Gateway", "88880061"]
    labels = [" ".join(t.itertext()) for row in rows_of(svg, "event") for t in row.iter() if t.tag.endswith("text")
              and not t.text.startswith("+")]
    assert labels == ["AgentConf_ParticipantChanged \u00b7 102 joined",
                      "AgentConf_ParticipantChanged \u00b7 88880061 joined",
                      "AgentConf_ParticipantChanged \u00b7 88880061 held",
                      "AgentConf_ParticipantChanged \u00b7 103 joined \u2717"]


def test_a_text_message_shows_its_first_20_characters_only() -> None:
    assert shortened(MESSAGE) == "\u201cHello, I need help: \u2026\u201d"
    assert shortened("  two\n words ") == "\u201ctwo words\u201d"
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], events=[event(
        10, "AgentEvent_MessageData", {"callid": "1-1", "caller": "88880071", "message": MESSAGE})])
    fragment = render_diagram(data)
    assert "Hello, I need help: \u2026" in fragment
    assert "card" not in fragment and "4111" not in fragment
    assert lane_labels(svg_of(fragment)) == ["101", "Gateway", "88880071"]


def test_the_customer_message_action_is_shortened_too() -> None:
    action = simulator_action({"action": "customer_message", "method": "POST", "status": 201,
                               "arguments": {"customer": "88880071", "agent": "101", "text": MESSAGE}})
    assert action is not None
    assert action.description == "88880071 writes \u201cHello, I need help: \u2026\u201d"
    assert action.parties == ("88880071",) and action.agent_id == "101"
    data = DiagramData(T0, agents=[AgentInfo("101", "101")], actions=[action])
    assert "4111" not in render_diagram(data)
