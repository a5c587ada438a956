"""Each control action is declared once (control.CONTROL_ACTIONS): the server's routes, the client's methods and
both sides' argument checks come from that declaration, so they say the same thing about a bad argument."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import AgentError, SimulatorError
from CCGatewayLibrary.protocol import CONTROL_PREFIX
from CCGatewayLibrary.simulator.control import CONTROL_ACTIONS, SimulatorControl
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.runner import SimulatorRunner
from CCGatewayLibrary.simulator.server import GatewaySimulator

PASSWORD = "Sim-Agent-Pass-101"  # the built-in roster's test password
# (action, arguments in declared order, the argument at fault, the rule it breaks)
BAD_ARGUMENTS = [
    ("offer_call", ("8" * 25, "101"), "caller", "text (or a whole number) of 1 to 24 characters"),
    ("offer_call", ("88880001", True), "agent", "text (or a whole number) of 1 to 24 characters"),
    ("restart", (-1,), "downtime", "the seconds the port stays closed, 0 to 60"),
    ("rotate_guid", ("101", -0.5), "grace", "a number of seconds, 0 or more"),
    ("add_fault", ("explode",), "fault", "one of delay, http, not-json, retcode, drop, restart, duplicate"),
    ("add_fault", ("drop", "*", "*", None, 0), "count", "a whole number from 1 to 10000"),
    ("far_end", ("8" * 25, "busy"), "number", "text (or a whole number) of 1 to 24 characters"),
    ("queue_event", ("101", "no such; event"), "eventType", "the name of an event of the catalogue"),
]


@pytest.fixture(scope="module")
def runner() -> Iterator[SimulatorRunner]:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2))
    runner.endpoint = runner.start_in_thread()  # type: ignore[attr-defined]
    yield runner
    runner.stop()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_servers_control_routes_are_the_declared_actions() -> None:
    routes = {(route.method, route.resource.canonical) for route in GatewaySimulator().app().router.routes()
              if route.resource is not None and route.resource.canonical.startswith(CONTROL_PREFIX)
              and route.method != "HEAD"}
    assert routes == {(action.method, action.route()) for action in CONTROL_ACTIONS.values()}


@pytest.mark.parametrize("name", CONTROL_ACTIONS)
def test_the_client_has_a_method_for_each_declared_action(name: str) -> None:
    assert callable(getattr(SimulatorControl("https://127.0.0.1:1"), name))


def test_the_client_has_no_method_the_declaration_lacks() -> None:
    with pytest.raises(AttributeError, match="control actions are health, counters"):
        SimulatorControl("https://127.0.0.1:1").explode()  # type: ignore[operator]


@pytest.mark.parametrize(("action", "arguments", "field", "rule"), BAD_ARGUMENTS)
def test_the_client_refuses_a_bad_argument_before_sending(action: str, arguments: tuple[Any, ...], field: str,
                                                          rule: str) -> None:
    control = SimulatorControl(f"https://127.0.0.1:{_closed_port()}")  # nothing listens: it must not get that far
    with pytest.raises(SimulatorError) as refused:
        getattr(control, action)(*arguments)
    assert str(refused.value).startswith(f"Simulator control {action}: {field} must be {rule}")


@pytest.mark.parametrize(("action", "arguments", "field", "rule"), BAD_ARGUMENTS)
def test_the_server_refuses_a_bad_argument_in_the_same_words(runner: SimulatorRunner, action: str,
                                                             arguments: tuple[Any, ...], field: str,
                                                             rule: str) -> None:
    declared = CONTROL_ACTIONS[action]
    given = dict(zip((field.name for field in declared.fields), arguments, strict=False))
    path = declared.path.format(**{name.name: given[name.name] for name in declared.field("path")})
    body = {name.name: given[name.name] for name in declared.field("body") if name.name in given}
    reply = requests.request(declared.method, runner.endpoint.url + CONTROL_PREFIX + path,  # type: ignore[attr-defined]
                             json=body, verify=str(runner.ca_file), timeout=5)
    assert reply.status_code == 400, reply.text
    assert reply.json()["error"].startswith(f"{field} must be {rule}")


def test_a_body_that_is_no_object_is_refused_naming_the_fields(runner: SimulatorRunner) -> None:
    reply = requests.post(runner.endpoint.url + CONTROL_PREFIX + "/calls", json=["88880001"],  # type: ignore[attr-defined]
                          verify=str(runner.ca_file), timeout=5)
    assert (reply.status_code, reply.json()) == (400, {"error": "body must be a JSON object with caller, agent"})


@pytest.fixture(scope="module")
def library() -> Iterator[CCGatewayLibrary]:
    library = CCGatewayLibrary(poll_interval=0.05)
    library.start_gateway_simulator(poll_wait=0.5)
    library.sign_in_agent("101", Secret(PASSWORD), "70001", alias="desk")
    library.sign_in_agent("102", Secret(PASSWORD), "70002")
    yield library
    library.stop_gateway_simulator()


def _faults(library: CCGatewayLibrary) -> list[dict[str, Any]]:
    control = SimulatorControl(library.ctx.gateway_url(), library.ctx.settings.ca_bundle)
    faults: list[dict[str, Any]] = control.faults()
    control.clear_faults()
    return faults


def test_agent_names_an_alias_in_simulate_inbound_call(library: CCGatewayLibrary) -> None:
    callid = library.simulate_inbound_call("88880001", agent="desk")
    library.wait_for_event("AgentEvent_Ringing", callid=callid, agent="desk")
    library.simulate_customer_hang_up(callid)


def test_agent_id_names_an_agent_by_its_id(library: CCGatewayLibrary) -> None:
    library.switch_agent("desk")
    callid = library.simulate_inbound_call("88880002", agent_id="102")
    library.wait_for_event("AgentEvent_Ringing", callid=callid, agent="102")
    library.simulate_customer_hang_up(callid)


def test_agent_names_an_alias_in_simulate_fault(library: CCGatewayLibrary) -> None:
    library.simulate_fault("sayBusy", "retcode", "100-007", agent="desk")
    library.simulate_fault("sayBusy", "retcode", "100-007", agent_id="102")
    library.simulate_fault("sayBusy", "retcode", "100-007")
    assert [fault["agent"] for fault in _faults(library)] == ["101", "102", "*"]


@pytest.mark.parametrize("keyword", ["simulate_inbound_call", "simulate_fault"])
def test_an_unknown_alias_is_refused_listing_the_known_ones(library: CCGatewayLibrary, keyword: str) -> None:
    arguments = ("88880003",) if keyword == "simulate_inbound_call" else ("sayBusy", "drop")
    with pytest.raises(AgentError) as refused:
        getattr(library, keyword)(*arguments, agent="101")  # an ID, but agent 101's alias is desk
    assert "No agent with alias '101'. Known aliases: desk, 102." in str(refused.value)
    assert "agent_id=" in str(refused.value)
    assert _faults(library) == []


def test_agent_and_agent_id_together_are_refused(library: CCGatewayLibrary) -> None:
    with pytest.raises(SimulatorError, match="give agent \\(an alias\\) or agent_id \\(an agent ID\\), not both"):
        library.simulate_inbound_call("88880004", agent="desk", agent_id="101")


def test_event_content_nested_too_deep_is_refused_in_words(library: CCGatewayLibrary) -> None:
    deep: list[Any] = []
    inner = deep
    for _ in range(100_000):  # far beyond Python's recursion limit
        inner.append([])
        inner = inner[0]
    with pytest.raises(SimulatorError) as refused:
        library.simulate_event("101", "AgentOther_BeQcStart", deep)
    assert str(refused.value) == ("Simulator control queue_event: content must be a JSON value nested at most 31 "
                                  "levels deep, got a list of 1 items.")
