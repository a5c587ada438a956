"""The agent state table, cell by cell, run through the simulated gateway model: each state interface in each agent
state moves the agent and queues the events the table names, or is refused with the code it names; and the rest
timer."""

from __future__ import annotations

from typing import Any

import pytest
from simulated_world import AGENT, CATALOGUE, REST_REQUEST, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.agent_states import AGENT_STATE_TABLE, STATES, Step, cell
from CCGatewayLibrary.simulator.model import Refused, SimulatorConfig
from CCGatewayLibrary.simulator.server import simulated_by

# A request per state interface that the table may carry out (reasons and durations as a tester gives them).
REQUESTS: dict[str, dict[str, Any]] = {
    "sayBusy": {"query": {"reason": "201", "prolong": "true"}},
    "rest": REST_REQUEST,
    "forceLogoutWithReason": {"path": {"reason": "7"}},
}
# A supervisor's forced changes: sent by inspector 900 for the agent (workNo), their table cells apply to the agent.
SUPERVISOR = "900"
FORCED: dict[str, dict[str, Any]] = {
    "forceRest": {"path": {"workNo": AGENT, "time": "60", "reason": "4"}},
}



@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    # the gateway's timers scaled down, as a tester would run the simulator
    return worlds(SimulatorConfig(time_scale=0.01))


PAIRS = [(interface, state) for interface in AGENT_STATE_TABLE for state in STATES]


@pytest.mark.parametrize(("interface", "state"), PAIRS, ids=[f"{i}-{s.name.lower()}" for i, s in PAIRS])
def test_state_table_cell(world: SimulatedWorld, interface: str, state: AgentState) -> None:
    agent = world.agent_in(state)
    outcome = cell(interface, state)
    listed = CATALOGUE.interface(interface)
    if simulated_by(listed) == "agent state table":
        request = REQUESTS.get(interface, {})

        def run() -> None:
            world.do(interface, AGENT, **request)
    else:  # a supervisor's route (checked in test_simulator_inspection.py); the cell is about the agent's table
        forced = world.request(interface, SUPERVISOR, **FORCED.get(interface, {"path": {"workNo": AGENT}}))

        def run() -> None:
            with world.model.caused_by(interface):
                world.model.change_state(agent, interface, forced)
    if isinstance(outcome, str):
        with pytest.raises(Refused) as refused:
            run()
        assert refused.value.retcode == outcome
        assert outcome in listed.possible_retcodes, f"{interface} may not answer {outcome}"
        assert agent.state == state and agent.queue == type(agent.queue)()
        return
    run()
    assert agent.state == outcome.to
    assert [event["eventType"] for event in agent.queue] == list(outcome.events)
    assert all(cause == interface for cause, _ in world.caused)
    assert set(outcome.events) <= set(listed.events), f"{interface} emits events the catalogue does not list"
    for event in agent.queue:
        assert CATALOGUE.event_problems(event) is None
    if outcome.releases_calls:
        assert agent.calls == []


@pytest.mark.parametrize("state", [AgentState.BUSY, AgentState.REST])
def test_changing_the_reason_needs_prolong(world: SimulatedWorld, state: AgentState) -> None:
    world.agent_in(state)
    interface = "sayBusy" if state == AgentState.BUSY else "rest"
    request = {key: value for key, value in REQUESTS[interface].items() if key != "query"}
    with pytest.raises(Refused) as refused:
        world.do(interface, AGENT, **request)
    assert refused.value.retcode == "100-009"
    assert "prolong=true" in refused.value.message


def test_rest_timer_reminds_and_the_agent_stays_in_rest(world: SimulatedWorld) -> None:
    agent = world.agent_in(AgentState.REST)
    [time_is_up] = world.timers.pending
    time_is_up()
    assert [e["eventType"] for e in agent.queue] == ["AgentState_Rest_Timeout"]
    assert agent.state == AgentState.REST
    assert world.caused == [("rest", "AgentState_Rest_Timeout")]


def test_a_cancelled_rest_has_no_reminder(world: SimulatedWorld) -> None:
    agent = world.agent_in(AgentState.REST)
    world.do("cancelRest", AGENT)
    agent.queue.clear()
    world.timers.pending[-1]()
    assert list(agent.queue) == []


def test_table_steps_are_steps_or_listed_codes() -> None:
    for interface, row in AGENT_STATE_TABLE.items():
        assert set(row) == set(STATES), interface
        for outcome in row.values():
            assert isinstance(outcome, Step) or outcome in CATALOGUE.interface(interface).possible_retcodes
