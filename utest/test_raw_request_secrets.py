"""Send Raw Request with a password in its body: a Secret body, Secret values in a dictionary, and text."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError
from CCGatewayLibrary.simulator.roster import Roster

ROSTER = Roster.load()
# Raw sign-ins are not signed out by the fixture: each test signs in an agent of its own.
PASSWORD = ROSTER.password_of("103")


@pytest.fixture
def lib(simulated: CCGatewayLibrary) -> Iterator[CCGatewayLibrary]:
    yield simulated
    simulated.sign_out_all_agents()


def _signed_in(lib: CCGatewayLibrary, agent: str) -> bool:
    assert lib.ctx.simulator is not None
    model = lib.ctx.simulator.simulator.model  # type: ignore[attr-defined]
    return agent in model.agents and model.agents[agent].signed_in


def test_a_secret_body_is_sent_as_the_json_it_holds(lib: CCGatewayLibrary) -> None:
    body = Secret(json.dumps({"password": PASSWORD, "phonenum": "70003"}))
    reply = lib.send_raw_request("login", body=body, agent_id="103", send_guid=False)
    assert reply["retcode"] == "0"
    assert _signed_in(lib, "103")
    assert lib.ctx.secrets.mask(f"sent {PASSWORD}") == "sent " + lib.ctx.secrets.mask(PASSWORD)
    assert PASSWORD not in lib.ctx.secrets.mask(PASSWORD)


def test_secret_values_inside_a_dictionary_body_are_sent(lib: CCGatewayLibrary) -> None:
    body = {"password": Secret(ROSTER.password_of("104")), "phonenum": "70004"}
    reply = lib.send_raw_request("login", body=body, agent_id="104", send_guid=False)
    assert reply["retcode"] == "0"


def test_a_secret_body_holding_no_text_is_refused_in_words(lib: CCGatewayLibrary) -> None:
    with pytest.raises(CCGatewayError, match="a Secret body must hold text"):
        lib.send_raw_request("login", body=Secret({"password": PASSWORD}), agent_id="103",  # type: ignore[arg-type]
                             send_guid=False)


def test_a_password_in_body_text_draws_a_warning(lib: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr("CCGatewayLibrary.keywords.raw.logger.warn", warnings.append)
    lib.send_raw_request("login", body=json.dumps({"password": ROSTER.password_of("105"), "phonenum": "70005"}),
                         agent_id="105", send_guid=False)
    assert len(warnings) == 1 and "Secret" in warnings[0] and ROSTER.password_of("105") not in warnings[0]
    lib.send_raw_request("getAgentStatus", body='{"callid": ""}', agent_id="105", send_guid=False)
    assert len(warnings) == 1
