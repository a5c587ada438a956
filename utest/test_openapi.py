"""The generated OpenAPI document: in step with the catalogue, loadable by schemathesis, and a contract the
simulator keeps when schemathesis generates requests from it."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.catalogue.gateway import SUCCESS
from CCGatewayLibrary.catalogue.openapi import build_openapi, component_name
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import Endpoint, SimulatorRunner

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "docs"))
from generate import OPENAPI, STATE_TABLE, openapi_text, state_table_text  # noqa: E402

CATALOGUE = load_catalogue()
DOCUMENT = build_openapi(CATALOGUE)
SCHEMA = schemathesis.openapi.from_dict(DOCUMENT)
AGENTS = [str(agent) for agent in range(101, 106)]
EXAMPLES_PER_OPERATION = 12
SEEN: Counter[str] = Counter()  # retcodes answered to generated requests


def test_the_document_in_docs_is_up_to_date() -> None:
    assert OPENAPI.read_text(encoding="utf-8") == openapi_text(), "run: python docs/generate.py"


def test_the_state_table_in_docs_is_up_to_date() -> None:
    assert STATE_TABLE.read_text(encoding="utf-8") == state_table_text(), "run: python docs/generate.py"


def test_every_interface_is_one_operation() -> None:
    operations = {(path, method.upper()): op for path, item in DOCUMENT["paths"].items() for method, op in item.items()}
    assert len(operations) == len(CATALOGUE.interfaces)
    for interface in CATALOGUE.interfaces.values():
        operation = operations[(interface.path, interface.method)]
        assert operation["operationId"] == interface.name
        assert set(operation["x-retcodes"]) == set(interface.possible_retcodes)
        assert operation["x-events"] == list(interface.events)
        assert (operation["security"] == [{"Guid": []}]) is interface.guid_required
        placeholders = {p["name"] for p in operation["parameters"] if p["in"] == "path"}
        assert placeholders == set(interface.path_params)


def test_the_routes_of_other_gateway_versions_are_noted() -> None:
    """The document is the current reference; where a legacy gateway routes otherwise, the operation says so."""
    voicecall = "/agentgateway/resource/voicecall/{agentid}/"
    noted = {op["operationId"]: op["x-gateway-versions"] for item in DOCUMENT["paths"].values()
             for op in item.values() if "x-gateway-versions" in op}
    assert noted == {"phonepickup": {"legacy": {"method": "PUT"}}, "phonehangup": {"legacy": {"method": "PUT"}},
                     "secondDialEx": {"legacy": {"log_name": "secondDial", "path": "voicecall/{agentid}/seconddial"}}}
    assert "post" in DOCUMENT["paths"][voicecall + "phonepickup"]
    legacy = build_openapi(load_catalogue("legacy"))["paths"]
    assert set(legacy[voicecall + "phonepickup"]) == {"put"} and voicecall + "seconddialex" not in legacy


def test_references_point_into_the_document() -> None:
    text = json.dumps(DOCUMENT)
    assert "urn:ccgw" not in text
    for uri, _ in CATALOGUE.schemas():
        assert component_name(uri) in DOCUMENT["components"]["schemas"]


def test_schemathesis_resolves_every_operation() -> None:
    operations = list(SCHEMA.get_all_operations())
    assert len(operations) == len(CATALOGUE.interfaces)
    for result in operations:
        result.ok()  # raises when an operation cannot be built, for example on a broken $ref


@pytest.fixture(scope="module")
def endpoint() -> Iterator[Endpoint]:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.05, answer_delay=0.01))
    started = runner.start_in_thread()
    yield started
    runner.stop()


def _sign_in_all(session: requests.Session, endpoint: Endpoint) -> dict[str, str]:
    roster, guids = Roster.load(), {}
    login = CATALOGUE.interface("forceLogin")
    for agent in AGENTS:
        reply = session.put(endpoint.url + login.url_path({"agentid": agent}), timeout=5, verify=str(endpoint.ca_file),
                            json={"password": roster.password_of(agent), "phonenum": "7000" + agent[-1]})
        assert "Set-GUID" in reply.headers, f"forceLogin {agent}: HTTP {reply.status_code} {reply.text[:300]}"
        guids[agent] = reply.headers["Set-GUID"].partition("=")[2]
    return guids


OPERATIONS = sorted(CATALOGUE.interfaces)


@pytest.mark.parametrize("name", OPERATIONS)
def test_simulator_keeps_the_contract_for_generated_requests(name: str, endpoint: Endpoint) -> None:
    """Requests schemathesis generates from the document, for signed-in agents with their Guid (and, for
    sign-ins, mostly the right password): every reply is HTTP 200, matches the operation's reply schema and
    carries a retcode the operation lists."""
    interface = CATALOGUE.interface(name)
    operation = SCHEMA[interface.path][interface.method]
    session = requests.Session()
    session.verify = str(endpoint.ca_file)
    guids = _sign_in_all(session, endpoint)
    roster = Roster.load()

    @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(), agent=st.sampled_from(AGENTS), right_password=st.booleans())
    def check(case: Any, agent: str, right_password: bool) -> None:
        case.path_parameters = {**(case.path_parameters or {}), "agentid": agent}
        if interface.guid_required:
            case.headers = {**(case.headers or {}), "Guid": guids[agent]}
        if isinstance(case.body, dict) and "password" in case.body and right_password:
            case.body = {**case.body, "password": roster.password_of(agent)}
        reply = case.call(base_url=endpoint.url, session=session, verify=str(endpoint.ca_file), timeout=5)
        assert reply.status_code == 200, f"{name}: HTTP {reply.status_code} {reply.text[:200]}"
        document = reply.json()
        assert CATALOGUE.problems(interface.response_schema["$id"], document) is None
        assert document["retcode"] in interface.possible_retcodes
        SEEN[document["retcode"]] += 1
        headers = {key.lower(): value for key, value in reply.headers.items()}
        set_guid = headers.get("set-guid")
        if interface.sets_guid and document["retcode"] == SUCCESS and set_guid:
            guids[agent] = (set_guid[0] if isinstance(set_guid, list) else set_guid).partition("=")[2]
        elif interface.sets_guid and document["retcode"] == SUCCESS:
            assert name == "getAgentEvent", f"{name} succeeded without Set-GUID: {reply.headers}"

    check()


def test_generated_requests_reached_past_the_guid_check() -> None:
    """The contract test is only worth something if generated requests got beyond authentication."""
    if len(SEEN) == 0:
        pytest.skip("the contract test did not run")
    assert SEEN[SUCCESS] > len(OPERATIONS), SEEN
