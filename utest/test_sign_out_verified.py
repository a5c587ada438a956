"""A sign-out never reports what it did not do: an agent whose Guid the gateway no longer takes is signed in again
by force and out, and one that cannot be is named in the failure."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import AgentError, RetcodeError
from CCGatewayLibrary.simulator.roster import Roster

ROSTER = Roster.load()


@pytest.fixture
def lib() -> Iterator[CCGatewayLibrary]:
    library = CCGatewayLibrary()
    library.start_gateway_simulator()
    try:
        yield library
    finally:
        library.stop_gateway_simulator()
        library.ctx.shut_down()


def _model_signed_in(lib: CCGatewayLibrary, agent_id: str) -> bool:
    assert lib.ctx.simulator is not None
    model = lib.ctx.simulator.simulator.model  # type: ignore[attr-defined]
    return bool(model.agents[agent_id].signed_in)


def _sign_in(lib: CCGatewayLibrary, agent_id: str, **options: object) -> None:
    lib.sign_in_agent(agent_id, Secret(ROSTER.password_of(agent_id)), "7000" + agent_id[-1], **options)


def test_sign_out_all_agents_signs_out_for_real_an_agent_whose_guid_expired(lib: CCGatewayLibrary,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    messages: list[str] = []
    monkeypatch.setattr("CCGatewayLibrary.keywords.agent.logger.info", messages.append)
    _sign_in(lib, "101")
    _sign_in(lib, "102")
    lib.simulate_guid_expiry("101")
    lib.sign_out_all_agents()
    assert not _model_signed_in(lib, "101") and not _model_signed_in(lib, "102")
    assert any("agent 101" in text and "signed in again by force and out" in text for text in messages), messages
    _sign_in(lib, "101")  # the next test's sign-in is not refused with 100-002


def test_sign_out_agent_signs_out_for_real_an_agent_whose_guid_expired(lib: CCGatewayLibrary) -> None:
    _sign_in(lib, "101")
    lib.simulate_guid_expiry("101")
    lib.sign_out_agent()
    assert not _model_signed_in(lib, "101")


def test_a_negative_sign_out_test_still_gets_the_refusal(lib: CCGatewayLibrary) -> None:
    _sign_in(lib, "101")
    lib.simulate_guid_expiry("101")
    lib.sign_out_agent(expected_retcode="000-003")
    assert _model_signed_in(lib, "101")  # nothing else was done: the test asked for the refusal
    with pytest.raises(RetcodeError, match="000-003"):
        lib.get_agent_status()


def test_an_agent_the_gateway_reports_out_counts_as_signed_out(lib: CCGatewayLibrary) -> None:
    _sign_in(lib, "101")
    lib.send_raw_request("forceLogout")  # out at the gateway; the library still holds the agent
    lib.sign_out_all_agents()
    assert not lib.ctx.agent("101").signed_in and not _model_signed_in(lib, "101")


def test_an_agent_that_cannot_be_signed_in_again_is_named_with_the_reason(lib: CCGatewayLibrary) -> None:
    lib.sign_in_agent("103", Secret(ROSTER.password_of("103")), ccs_only=True)
    lib.simulate_guid_expiry("103")
    with pytest.raises(AgentError, match=r"1 agent\(s\) could not be signed out: agent 103: Could not sign out agent "
                                         r"103: the gateway refused its Guid .* no password and phone"):
        lib.sign_out_all_agents()
