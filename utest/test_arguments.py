"""Durations and numbers that Robot converts without complaint but that make no sense: refused in words."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.arguments import problem
from CCGatewayLibrary.errors import CCGatewayError


@pytest.mark.parametrize(("name", "value", "rule"), [
    ("timeout", timedelta(seconds=-5), "must be a duration of zero or more"),
    ("time_scale", math.nan, "must be a finite number"),
    ("time_scale", math.inf, "must be a finite number"),
    ("time_scale", -math.inf, "must be a finite number"),
    ("time_scale", 0.0, "must be greater than 0"),
    ("time_scale", -1.0, "must be greater than 0"),
    ("ratio", math.nan, "must be a finite number"),
])
def test_a_value_that_makes_no_sense_is_named_with_its_rule(name: str, value: object, rule: str) -> None:
    text = problem(name, value)
    assert text is not None and f"'{name}' {rule}" in text


@pytest.mark.parametrize(("name", "value"), [
    ("timeout", timedelta(0)), ("timeout", timedelta(seconds=0.5)), ("time_scale", 0.01), ("ratio", 0.0),
    ("count", 3), ("flag", True), ("text", "nan"),
])
def test_sensible_values_pass(name: str, value: object) -> None:
    assert problem(name, value) is None


def test_a_negative_timeout_is_refused_before_the_keyword_runs() -> None:
    lib = CCGatewayLibrary()
    with pytest.raises(CCGatewayError, match=r"^Wait For Event: 'timeout' must be a duration of zero or more"):
        lib.run_keyword("wait_for_event", ("AgentState_Ready",), {"timeout": timedelta(seconds=-5)})
    with pytest.raises(CCGatewayError, match=r"^Event Should Not Arrive: 'within' must be"):
        lib.run_keyword("event_should_not_arrive", ("AgentState_Ready", timedelta(seconds=-1)), {})


@pytest.mark.parametrize("scale", [math.nan, math.inf, 0.0, -2.0])
def test_the_simulator_refuses_a_time_scale_that_is_not_a_finite_positive_number(scale: float) -> None:
    lib = CCGatewayLibrary()
    with pytest.raises(CCGatewayError, match="'time_scale' must be"):
        lib.run_keyword("start_gateway_simulator", (), {"time_scale": scale})
    assert lib.ctx.simulator is None


@pytest.mark.parametrize("argument", ["timeout", "connect_timeout", "event_timeout", "poll_interval"])
def test_the_import_refuses_a_negative_duration(argument: str) -> None:
    with pytest.raises(CCGatewayError, match=f"'{argument}' must be a duration of zero or more"):
        CCGatewayLibrary(**{argument: timedelta(seconds=-1)})  # type: ignore[arg-type]


@pytest.mark.parametrize(("option", "value", "rule"), [
    ("--time-scale", "nan", "is not a finite number"), ("--time-scale", "inf", "is not a finite number"),
    ("--time-scale", "0", "must be greater than 0"), ("--poll-wait", "-1", "must be 0 or more seconds"),
    ("--guid-rotation", "inf", "is not a finite number"),
])
def test_ccgw_sim_refuses_a_number_that_is_not_finite_and_positive(option: str, value: str, rule: str) -> None:
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-m", "CCGatewayLibrary.simulator.cli", "--port", "0", option, value],
                         capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2 and f"argument {option}: '{value}'" in run.stderr and rule in run.stderr, run.stderr
