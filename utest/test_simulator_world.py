"""The simulator's world and its chapters: legs with roles, one ``detach``, party handles that survive a merge,
one path for agent state changes, one factory per event, and no import cycle in the library."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from simulated_world import (
    CATALOGUE,
    COLLEAGUES,
    CUSTOMER,
    OTHER_NUMBER,
    RELEASED,
    SimulatedWorld,
    Worlds,
)

from CCGatewayLibrary.catalogue.states import AgentState, CallState
from CCGatewayLibrary.simulator import events
from CCGatewayLibrary.simulator.agent_states import AGENT_STATE_TABLE
from CCGatewayLibrary.simulator.world import Agent, Call, Leg, Role

PACKAGE = Path(__file__).resolve().parents[1] / "CCGatewayLibrary"
SUPERVISOR = "70003"



@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """Agents 101, 102, 103 signed in and idle, with manual answer; timers wait until a test runs them."""
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    return made


def _three_party_call(world: SimulatedWorld) -> tuple[str, str]:
    """101 talks with CUSTOMER (inbound), holds, calls OTHER_NUMBER out and joins the three: (inbound, outbound) IDs."""
    customer = world.customer_talking_to("101")
    world.do("hold", "101")
    third = world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.timers.run_all()
    world.do("confJoin", "101", body={"callid": customer})
    world.drain_all()
    return customer, third


# -- party handles through a merge ------------------------------------------------------------------------
def test_the_call_out_id_still_names_its_party_after_a_three_party_call(world: SimulatedWorld) -> None:
    customer, third = _three_party_call(world)
    world.model.customer_hangs_up(third)
    assert world.names("101") == ["AgentEvent_Customer_Release"]
    assert world.last[0]["content"] == {"callid": customer, "number": OTHER_NUMBER}
    assert [(leg.number, leg.state) for leg in world["101"].calls] == [("70001", CallState.TALKING)]
    assert [leg.number for leg in world.model.calls[customer].parties()] == [CUSTOMER, "70001"]
    world.model.customer_hangs_up(customer)
    assert world.names("101") == RELEASED
    assert world["101"].state == AgentState.IDLE and world.model.calls == {} and world.model.handles == {}


def test_the_inbound_id_names_only_its_customer_after_a_three_party_call(world: SimulatedWorld) -> None:
    customer, _ = _three_party_call(world)
    world.model.customer_hangs_up(customer)
    # The vendor's guide: the agent gets AgentEvent_Customer_Release and stays talking with the other party.
    assert world.names("101") == ["AgentEvent_Customer_Release"]
    assert world.last[0]["content"]["number"] == CUSTOMER
    assert world["101"].state == AgentState.TALKING
    assert sorted(leg.number for leg in world.model.calls[customer].parties()) == ["70001", OTHER_NUMBER]


def test_a_number_still_picks_a_customer_of_the_named_partys_call(world: SimulatedWorld) -> None:
    _, third = _three_party_call(world)
    world.model.customer_hangs_up(third, CUSTOMER)
    assert world.names("101") == ["AgentEvent_Customer_Release"]
    assert world.last[0]["content"]["number"] == CUSTOMER


# -- roles -----------------------------------------------------------------------------------------------
def _supervise(world: SimulatedWorld, callid: str, role: Role) -> Leg:
    """Agent 103 joins the call as a monitor (what the inspection chapter will do)."""
    return world.model.attach(world.model.calls[callid], SUPERVISOR, CallState.TALKING, role, world["103"])


@pytest.mark.parametrize("role", [Role.LISTEN, Role.WHISPER, Role.BARGE])
def test_a_monitor_does_not_keep_a_call_alive(world: SimulatedWorld, role: Role) -> None:
    customer = world.customer_talking_to("101")
    monitor = _supervise(world, customer, role)
    world.model.customer_hangs_up(customer)
    assert world.names("101") == RELEASED
    assert world["101"].calls == [] and world.model.calls == {}
    assert monitor not in world["103"].calls


def test_a_monitor_is_nobodys_partner_in_a_conference(world: SimulatedWorld) -> None:
    customer = world.customer_talking_to("101")
    world.do("hold", "101")
    _supervise(world, customer, Role.LISTEN)
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.timers.run_all()
    world.drain_all()
    world.do("confJoin", "101", body={"callid": customer})
    world.names("101")
    assert world.last[0]["content"]["partner"].split(",") == [CUSTOMER, OTHER_NUMBER]


def test_who_hears_whom() -> None:
    assert [Role.LISTEN.heard_by(r) for r in (Role.CUSTOMER, Role.AGENT)] == [False, False]
    assert [Role.WHISPER.heard_by(r) for r in (Role.CUSTOMER, Role.AGENT)] == [False, True]
    assert [Role.BARGE.heard_by(r) for r in (Role.CUSTOMER, Role.AGENT)] == [True, True]
    assert [role for role in Role if role.is_party] == [Role.CUSTOMER, Role.AGENT]


def test_detach_does_everything_removing_a_leg_needs(world: SimulatedWorld) -> None:
    customer = world.model.offer_inbound_call(CUSTOMER, "101")
    call = world.model.calls[customer]
    named, agent_leg = call.legs
    world.model.detach(agent_leg)
    assert agent_leg not in call.legs and world["101"].calls == []
    world.model.detach(named)
    assert world.model.handles == {} and customer not in world.model.calls


# -- the surviving mutants ---------------------------------------------------------------------------------
def test_an_internal_call_cannot_be_picked_up_by_a_colleague(world: SimulatedWorld) -> None:
    world.do("callInner", "101", body={"called": "102"})
    world.drain_all()
    world.refused("100-007", "snatchpickup", "103", query={"destWorkNo": "102"})
    assert [leg.state for leg in world["102"].calls] == [CallState.RINGING] and world["103"].calls == []


def test_disconnect_acts_on_the_latest_call(world: SimulatedWorld) -> None:
    world.customer_talking_to("101")
    world.do("hold", "101")
    world.do("callout", "101", body={"called": OTHER_NUMBER})
    world.timers.run_all()
    world.drain_all()
    world.refused("200-024", "disconnect", "101", path={"number": CUSTOMER})  # the held call's party
    world.do("disconnect", "101", path={"number": OTHER_NUMBER})
    assert world.names("101") == ["AgentEvent_Call_Release", "AgentEvent_Customer_Release", "AgentOther_PhoneRelease"]
    assert [(leg.number, leg.state) for leg in world["101"].calls] == [("70001", CallState.HELD)]


def test_after_cancel_transfer_the_call_is_a_two_party_call_again(world: SimulatedWorld) -> None:
    world.customer_talking_to("101")
    world.do("transfer", "101", body={"devicetype": 5, "address": OTHER_NUMBER, "mode": 3})
    world.timers.run_all()
    world.do("cancelTransfer", "101")
    world.drain_all()
    assert [leg.state for leg in world["101"].calls] == [CallState.TALKING]
    world.do("hold", "101")  # refused in a conference: only a talking call can be held
    assert world.names("101") == ["AgentEvent_Hold"]


# -- one path for agent states ----------------------------------------------------------------------------
def _agent_state_assignments(path: Path) -> list[str]:
    """``x.state = <AgentState>`` in ``path``: call legs' states are CallStates named by these constants."""
    leg_states = {"IN_TALK", "HELD", "CONFERENCE", "RINGING", "ALERTING"}
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(
            node, ast.AugAssign | ast.AnnAssign) else []
        for target in targets:
            if isinstance(target, ast.Attribute) and target.attr == "state":
                value = node.value
                if not (isinstance(value, ast.Name) and value.id in leg_states):
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_agent_states_change_in_the_state_machine_only() -> None:
    simulator = sorted((PACKAGE / "simulator").glob("*.py"))
    outside = [hit for path in simulator if path.name != "agent_states.py" for hit in _agent_state_assignments(path)]
    assert outside == []
    assert len(_agent_state_assignments(PACKAGE / "simulator" / "agent_states.py")) == 1  # AgentStateMachine._move


# -- one factory per event ---------------------------------------------------------------------------------
def _sample(name: str) -> Any:
    agent = Agent("101", "secret", login_time=1_700_000_000_000)
    call = Call("1700000000-1", events.Feature.INBOUND, CUSTOMER, "70001", 1_700_000_000_000)
    leg = Leg(call, CUSTOMER, CallState.TALKING)
    return {"agent": agent, "call": call, "other": leg, "partners": [leg], "number": CUSTOMER,
            "why": events.PhoneState.PLATFORM_RELEASED, "reason": "3", "transfer_from": "102",
            "inspector": Agent("900", "secret"), "mode": Role.WHISPER, "cause": 1,
            "task": events.RecordTask(5000, "Yc1v1a101d20231114t2213200", "Y:/1/0/20231114/101/2213200.wav",
                                      call.callid, 1_700_000_000_000, 1_700_000_030_000),
            # agent conferences and text sessions
            "conf_id": 1030400, "change": events.ConfChange.LEFT, "left_why": events.LeftWhy.REMOVED_BY_CHAIR,
            "failed": True, "device": (3, 4), "text": "hello"}[name]


@pytest.mark.parametrize("name", sorted(events.FACTORIES))
def test_each_factory_builds_what_its_schema_allows(name: str) -> None:
    assert (PACKAGE.parent / "schemas" / "events" / f"{name}.schema.json").is_file()
    made = events.FACTORIES[name]
    arguments = {param: _sample(param) for param in inspect.signature(made.build).parameters}
    event = made(**arguments)
    assert event.name == name
    assert CATALOGUE.event_problems({"eventType": name, "workNo": "101", "content": event.content}) is None


def test_the_state_tables_events_have_factories() -> None:
    named = {name for row in AGENT_STATE_TABLE.values() for cell in row.values() if not isinstance(cell, str)
             for name in cell.events}
    assert named <= set(events.FACTORIES)


def test_event_names_are_spelled_in_the_factories_and_the_state_table_only() -> None:
    literal = re.compile(r"""["']Agent(?:Event|State|Other)_\w+["']""")
    spelled = {path.name: literal.findall(path.read_text(encoding="utf-8"))
               for path in (PACKAGE / "simulator").glob("*.py") if path.name not in ("events.py", "agent_states.py")}
    assert {name: found for name, found in spelled.items() if found} == {}


# -- no import cycles -----------------------------------------------------------------------------------------
def _imports(path: Path) -> set[str]:
    """The library modules ``path`` imports, TYPE_CHECKING imports included."""
    module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package
            for _ in range(node.level - 1):
                base = base.rpartition(".")[0]
            target = f"{base}.{node.module}" if node.level and node.module else base if node.level else node.module
            found.add(str(target))
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_import_cycle_in_the_library() -> None:
    modules = {".".join(p.relative_to(PACKAGE.parent).with_suffix("").parts).removesuffix(".__init__"): p
               for p in PACKAGE.rglob("*.py")}
    graph = {name: {other for other in _imports(path) if other in modules and other != name}
             for name, path in modules.items()}
    # A package's __init__ hands names on; importing a module of a package runs the package's __init__ first,
    # which is no cycle of the module's own making, so __init__ files are left out as targets.
    graph = {name: {o for o in targets if modules[o].name != "__init__.py"} for name, targets in graph.items()}
    cycles = []
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycles.append([*path[path.index(name):], name])
            return
        if name in done:
            return
        for other in sorted(graph[name]):
            visit(other, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])
    assert cycles == []
