"""What editors (RobotCode) and libdoc read from the library: arguments with a fixed set of values list them, and
the dictionaries getters return document their keys; Robot still converts plain strings to those values."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest
from robot.libdocpkg import LibraryDocumentation

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.library import GatewayVersion

RETURNS = {"Get Agent Status": "AgentStatus", "Get Call Info": "CallInfo", "Get Held Calls": "CallInfo",
           "Get Agent Skills": "SkillQueue", "Get Push Endpoint": "PushEndpoint", "Get Gateway Facts": "GatewayFacts",
           "Get Event History": "EventRecord", "Wait For Event": "GatewayEvent",
           "Wait For Events In Order": "GatewayEvent", "Wait For Event On Agents": "GatewayEvent",
           "Event Count Should Be": "GatewayEvent"}


@cache
def _spec() -> dict[str, Any]:
    return json.loads(LibraryDocumentation("CCGatewayLibrary").to_json())


def _named(type_info: dict[str, Any]) -> set[str]:
    return {type_info["name"]} | {name for nested in type_info["nested"] for name in _named(nested)}


@pytest.mark.parametrize(("keyword", "typed_dict"), RETURNS.items())
def test_getters_return_documented_typed_dicts(keyword: str, typed_dict: str) -> None:
    [found] = [kw for kw in _spec()["keywords"] if kw["name"] == keyword]
    assert typed_dict in _named(found["returnType"]), found["returnType"]
    [doc] = [t for t in _spec()["typedocs"] if t["name"] == typed_dict]
    assert doc["type"] == "TypedDict" and doc["items"] and doc["doc"], doc


def test_typed_dict_keys_name_what_the_getters_return() -> None:
    items = {t["name"]: {item["key"]: item["required"] for item in t.get("items") or []} for t in _spec()["typedocs"]}
    assert items["AgentStatus"].keys() == {"agentState", "isWorking", "state"}
    assert items["PushEndpoint"] == {"url": True, "ca_file": True, "callback": False}
    assert {"url", "ca_bundle", "guid", "auth", "agent_id"} <= {k for k, required in items["GatewayFacts"].items()
                                                                 if required}
    assert {"callid", "caller", "called", "callfeature"} <= items["CallInfo"].keys()
    assert items["GatewayEvent"] == {"eventType": True, "workNo": False, "content": False, "eventGenTime": False}


def test_the_gateway_version_argument_lists_the_catalogues_versions() -> None:
    assert set(get_args(GatewayVersion)) == set(load_catalogue().gateway_versions)
    [init] = _spec()["inits"]
    [argument] = [arg for arg in init["args"] if arg["name"] == "gateway_version"]
    assert "Literal" in _named(argument["type"]), argument["type"]


def test_robot_converts_strings_to_the_fixed_values_and_names_the_allowed_ones(tmp_path: Path) -> None:
    suite = tmp_path / "versions.robot"
    suite.write_text(
        "*** Test Cases ***\n"
        "Any Case Works\n"
        "    Import Library    CCGatewayLibrary    gateway_version=Legacy    AS    legacy\n"
        "    ${library} =    Get Library Instance    legacy\n"
        "    Should Be Equal    ${library.ctx.catalogue.gateway_version}    legacy\n"
        "An Unknown Version Is Refused\n"
        "    Run Keyword And Expect Error    *gateway_version*ancient*current*legacy*\n"
        "    ...    Import Library    CCGatewayLibrary    gateway_version=ancient    AS    ancient\n",
        encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "robot", "--output", "NONE", "--log", "NONE", "--report", "NONE",
                          str(suite)], capture_output=True, text=True, cwd=tmp_path, check=False, timeout=120)
    assert "2 tests, 2 passed, 0 failed" in run.stdout, run.stdout + run.stderr
