"""The simulator keeps to the catalogue: a route per interface, the agent state table cell by cell, and no
retcode or event that the catalogue does not list for the interface that caused it."""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from typing import Any

import pytest
import requests

from CCGatewayLibrary.catalogue import Catalogue, load_catalogue
from CCGatewayLibrary.catalogue.gateway import SUCCESS
from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.agent_states import AGENT_STATE_TABLE, STATES, Step, cell
from CCGatewayLibrary.simulator.model import Agent, GatewayModel, Refused, SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner
from CCGatewayLibrary.simulator.server import GatewaySimulator, simulated_by

AGENT = "101"
PHONE = "70001"
CATALOGUE = load_catalogue()
# A request per state interface that the table may carry out (reasons and durations as a tester gives them).
REQUESTS: dict[str, dict[str, Any]] = {
    "sayBusy": {"query": {"reason": "201", "prolong": "true"}},
    "rest": {"path": {"agentid": AGENT, "time": "60", "restcause": "3"}, "query": {"prolong": "true"}},
    "forceLogoutWithReason": {"path": {"agentid": AGENT, "reason": "7"}},
    "forceRest": {"path": {"agentid": "900", "workNo": AGENT, "time": "60", "reason": "4"}},
}


class Recorder:
    """A model whose every event is recorded with the interface that caused it."""

    def __init__(self) -> None:
        self.caused: list[tuple[str | None, str]] = []
        self.timers: list[Any] = []
        self.model = GatewayModel(Roster.load(), SimulatorConfig(time_scale=0.01),
                                  schedule=lambda delay, action: self.timers.append(action),
                                  observe=lambda cause, event: self.caused.append((cause, event)))

    def agent_in(self, state: AgentState) -> Agent:
        status = {AgentState.BUSY: "3", AgentState.WORK: "5"}.get(state, "4")
        self.model.login(AGENT, {"password": self.model.roster.password_of(AGENT), "phonenum": PHONE,
                                 "status": status, "autoanswer": "true"})
        agent = self.model.agents[AGENT]
        if state == AgentState.REST:
            self.model.change_state(agent, "rest", REQUESTS["rest"])
        elif state == AgentState.TALKING:
            self.model.offer_inbound_call("88880001", AGENT)
        agent.queue.clear()
        self.caused.clear()
        assert agent.state == state
        return agent


PAIRS = [(interface, state) for interface in AGENT_STATE_TABLE for state in STATES]


@pytest.mark.parametrize(("interface", "state"), PAIRS, ids=[f"{i}-{s.name.lower()}" for i, s in PAIRS])
def test_state_table_cell(interface: str, state: AgentState) -> None:
    world = Recorder()
    agent = world.agent_in(state)
    outcome = cell(interface, state)
    request = REQUESTS.get(interface, {})
    listed = CATALOGUE.interface(interface)
    if isinstance(outcome, str):
        with pytest.raises(Refused) as refused:
            world.model.change_state(agent, interface, request)
        assert refused.value.retcode == outcome
        assert outcome in listed.possible_retcodes, f"{interface} may not answer {outcome}"
        assert agent.state == state and agent.queue == type(agent.queue)()
        return
    world.model.change_state(agent, interface, request)
    assert agent.state == outcome.to
    assert [event["eventType"] for event in agent.queue] == list(outcome.events)
    assert all(cause == interface for cause, _ in world.caused)
    assert set(outcome.events) <= set(listed.events), f"{interface} emits events the catalogue does not list"
    for event in agent.queue:
        assert CATALOGUE.event_problems(event) is None
    if outcome.releases_calls:
        assert agent.calls == []


@pytest.mark.parametrize("state", [AgentState.BUSY, AgentState.REST])
def test_changing_the_reason_needs_prolong(state: AgentState) -> None:
    world = Recorder()
    agent = world.agent_in(state)
    interface = "sayBusy" if state == AgentState.BUSY else "rest"
    request = {key: value for key, value in REQUESTS[interface].items() if key != "query"}
    with pytest.raises(Refused) as refused:
        world.model.change_state(agent, interface, request)
    assert refused.value.retcode == "100-009"
    assert "prolong=true" in refused.value.message


def test_rest_timer_reminds_and_the_agent_stays_in_rest() -> None:
    world = Recorder()
    agent = world.agent_in(AgentState.REST)
    [time_is_up] = world.timers
    time_is_up()
    assert [e["eventType"] for e in agent.queue] == ["AgentState_Rest_Timeout"]
    assert agent.state == AgentState.REST
    assert world.caused == [("rest", "AgentState_Rest_Timeout")]


def test_a_cancelled_rest_has_no_reminder() -> None:
    world = Recorder()
    agent = world.agent_in(AgentState.REST)
    world.model.change_state(agent, "cancelRest", {})
    agent.queue.clear()
    world.timers[-1]()
    assert list(agent.queue) == []


def test_silent_agent_is_signed_out_after_the_scaled_time() -> None:
    now = [1000.0]
    model = GatewayModel(Roster.load(), SimulatorConfig(time_scale=0.01), clock=lambda: now[0])
    model.login(AGENT, {"password": model.roster.password_of(AGENT), "phonenum": PHONE})
    agent = model.agents[AGENT]
    now[0] += 1.1  # 2 minutes scaled by 0.01 is 1.2 s
    assert model.sign_out_silent_agents() == []
    model.seen(agent)
    now[0] += 1.19
    assert model.sign_out_silent_agents() == []
    now[0] += 0.02
    assert model.sign_out_silent_agents() == [AGENT]
    assert not agent.signed_in
    assert [e["eventType"] for e in agent.queue] == ["AgentOther_ShutdownService"]


def test_every_catalogue_interface_is_simulated() -> None:
    missing = [name for name, interface in CATALOGUE.interfaces.items() if simulated_by(interface) is None]
    assert missing == []


def test_every_catalogue_interface_has_a_route() -> None:
    app = GatewaySimulator().app()
    routes = {route.name for route in app.router.routes() if route.name}
    assert set(CATALOGUE.interfaces) <= routes


def _simulator_with(catalogue: Catalogue) -> GatewaySimulator:
    return GatewaySimulator(catalogue=catalogue)


def test_an_unlisted_event_is_a_breach() -> None:
    narrowed = Catalogue()
    narrowed.interfaces["sayFree"] = dataclasses.replace(narrowed.interfaces["sayFree"], events=())
    simulator = _simulator_with(narrowed)
    model = simulator.model
    model.login(AGENT, {"password": model.roster.password_of(AGENT), "phonenum": PHONE})
    with model.caused_by("sayFree"):
        model.change_state(model.agents[AGENT], "sayFree", {})
    assert simulator.breaches == ["sayFree caused AgentState_Ready, which the catalogue does not list for it"]


def test_an_unlisted_retcode_is_a_breach() -> None:
    simulator = _simulator_with(load_catalogue())
    interface = CATALOGUE.interface("sayFree")
    simulator._reply(interface, "200-002")
    assert simulator.breaches == ["sayFree answered retcode 200-002, which the catalogue does not list for it"]
    simulator._reply(interface, SUCCESS)
    simulator._reply(interface, "100-009")
    assert len(simulator.breaches) == 1


def test_common_retcodes_depend_on_the_guid_rule() -> None:
    assert {"000-003", "100-006"} <= set(CATALOGUE.interface("sayFree").possible_retcodes)
    assert "000-003" not in CATALOGUE.interface("login").possible_retcodes
    assert CATALOGUE.interface("login").possible_retcodes[0] == SUCCESS


def test_table_steps_are_steps_or_listed_codes() -> None:
    for interface, row in AGENT_STATE_TABLE.items():
        assert set(row) == set(STATES), interface
        for outcome in row.values():
            assert isinstance(outcome, Step) or outcome in CATALOGUE.interface(interface).possible_retcodes


def test_a_poll_waiting_when_the_session_is_taken_over_leaves_the_events_to_the_new_session() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=3.0))
    endpoint = runner.start_in_thread()
    try:
        http = requests.Session()
        http.verify = str(endpoint.ca_file)
        body = {"password": Roster.load().password_of(AGENT), "phonenum": PHONE}
        login = CATALOGUE.interface("login").url_path({"agentid": AGENT})
        poll = endpoint.url + CATALOGUE.interface("getAgentEvent").url_path({"agentid": AGENT})
        first = http.put(endpoint.url + login, json=body, verify=str(endpoint.ca_file), timeout=5)
        old_guid = first.headers["Set-GUID"].partition("=")[2]
        while http.get(poll, headers={"Guid": old_guid}, verify=str(endpoint.ca_file), timeout=5).json()["event"]:
            pass  # drain the first session's sign-in events
        parked: list[dict[str, Any]] = []
        waiting = threading.Thread(target=lambda: parked.append(
            http.get(poll, headers={"Guid": old_guid}, verify=str(endpoint.ca_file), timeout=10).json()))
        waiting.start()
        time.sleep(0.3)  # the poll is parked at the gateway
        force = CATALOGUE.interface("forceLogin").url_path({"agentid": AGENT})
        second = requests.put(endpoint.url + force, json=body, verify=str(endpoint.ca_file), timeout=5)
        new_guid = second.headers["Set-GUID"].partition("=")[2]
        waiting.join(10)
        assert parked[0]["retcode"] == "000-003" and "event" not in parked[0]
        fresh = requests.get(poll, headers={"Guid": new_guid}, verify=str(endpoint.ca_file), timeout=5).json()
        assert fresh["event"]["eventType"] == "AgentOther_InService"
    finally:
        runner.stop()


def test_a_body_in_another_encoding_than_declared_is_judged_by_its_content() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2))
    endpoint = runner.start_in_thread()
    try:
        body = json.dumps({"password": "Pässwort", "phonenum": PHONE}, ensure_ascii=False).encode("latin-1")
        reply = requests.put(endpoint.url + CATALOGUE.interface("login").url_path({"agentid": AGENT}), data=body,
                             headers={"Content-Type": "application/json; charset=UTF-8"},
                             verify=str(endpoint.ca_file), timeout=5).json()
        assert reply["retcode"] == "100-004"  # a wrong password, as the gateway would say; not 000-006
    finally:
        runner.stop()
