"""Faults for the control interface: what is accepted, and refusals naming the field and the rule."""

from __future__ import annotations

import typing
from typing import Any

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import SimulatorError
from CCGatewayLibrary.keywords.simulator import SimulatorKeywords
from CCGatewayLibrary.simulator.faults import KINDS, Fault, FaultError, parse_fault

INTERFACES = {"getAgentEvent", "sayBusy"}


def test_a_fault_is_used_up_by_matching_requests_only() -> None:
    fault = parse_fault({"fault": "http", "interface": "sayBusy", "agent": "101", "value": 502, "count": 2},
                        INTERFACES)
    assert fault == Fault("http", "sayBusy", "101", 502, 2)
    assert fault.matches("sayBusy", "101") and not fault.matches("sayBusy", "102")
    assert not fault.matches("getAgentEvent", "101")
    assert parse_fault({"fault": "drop"}, INTERFACES).matches("anything", "any")


@pytest.mark.parametrize(("data", "message"), [
    ([], "body must be a JSON object"),
    ({"fault": "explode"}, "fault must be one of delay, http, not-json, retcode, drop"),
    ({"fault": "drop", "interface": "nosuch"}, "interface must be a log name of the catalogue, 'push' or '*'"),
    ({"fault": "drop", "count": 0}, "count must be a whole number from 1 to 10000"),
    ({"fault": "drop", "count": True}, "count must be a whole number"),
    ({"fault": "delay", "value": 0}, "value must be the delay in seconds"),
    ({"fault": "delay", "value": "1"}, "value must be the delay in seconds"),
    ({"fault": "http", "value": 200}, "value must be an HTTP error status from 400 to 599"),
    ({"fault": "retcode"}, "value must be a retcode"),
])
def test_bad_faults_are_refused_in_words(data: Any, message: str) -> None:
    with pytest.raises(FaultError, match=message):
        parse_fault(data, INTERFACES)


@pytest.mark.parametrize(("fault", "value", "rule"), [
    ("delay", "abc", "the delay in seconds, more than 0 and at most 600, got 'abc'"),
    ("delay", "0", "the delay in seconds, more than 0 and at most 600"),
    ("http", "abc", "an HTTP error status from 400 to 599, got 'abc'"),
    ("http", "502.5", "an HTTP error status from 400 to 599, got '502.5'"),
    ("restart", "soon", "the seconds the port stays closed, 0 to 60, got 'soon'"),
    ("retcode", None, 'a retcode such as "100-007"'),
])
def test_the_keyword_refuses_a_bad_value_naming_the_fault_and_the_rule(fault: str, value: str | None,
                                                                       rule: str) -> None:
    """Refused before anything is sent, so no simulator is needed to see it."""
    with pytest.raises(SimulatorError) as refused:
        CCGatewayLibrary().simulate_fault("sayBusy", fault, value)
    assert str(refused.value).startswith(f"Simulate Fault {fault}: value must be {rule}")


def test_the_keywords_fault_choices_are_the_declared_kinds() -> None:
    """Robot converts ``fault`` by the keyword's Literal, which must list exactly the kinds faults.py declares."""
    choices = typing.get_args(typing.get_type_hints(SimulatorKeywords.simulate_fault)["fault"])
    assert choices == KINDS
