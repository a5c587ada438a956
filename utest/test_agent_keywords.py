"""The agent chapter's keywords against the embedded simulator: what they send, what they return, how they fail."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import AgentError, CCGatewayError, RequestSchemaError, RetcodeError
from CCGatewayLibrary.simulator.roster import Roster

PASSWORD = Secret(Roster.load().password_of("101"))


@pytest.fixture
def lib(simulated: CCGatewayLibrary) -> Iterator[CCGatewayLibrary]:
    yield simulated
    simulated.sign_out_all_agents()


def _sign_in(lib: CCGatewayLibrary, agent: str = "101", **options: object) -> None:
    lib.sign_in_agent(agent, PASSWORD, "7000" + agent[-1], **options)
    lib.wait_for_event("AgentState_Ready", agent=str(options.get("alias", agent)))


def _simulated_agent(lib: CCGatewayLibrary, agent: str = "101") -> object:
    assert lib.ctx.simulator is not None
    return lib.ctx.simulator.simulator.model.agents[agent]  # type: ignore[attr-defined]


def test_sign_in_options_reach_the_gateway(lib: CCGatewayLibrary) -> None:
    _sign_in(lib, auto_enter_idle=False, auto_answer=True)
    model_agent = _simulated_agent(lib)
    assert (model_agent.auto_enter_idle, model_agent.auto_answer) == (False, True)  # type: ignore[attr-defined]


def test_ccs_only_sign_in_uses_login_ex_and_needs_no_phone(lib: CCGatewayLibrary) -> None:
    result = lib.sign_in_agent("102", PASSWORD, ccs_only=True)
    assert result["workno"] == "102"
    assert lib.ctx.agent("102").session.guid.guid is not None


def test_force_and_ccs_only_together_are_refused(lib: CCGatewayLibrary) -> None:
    with pytest.raises(AgentError, match="not both"):
        lib.sign_in_agent("101", PASSWORD, "70001", force=True, ccs_only=True)


def test_unknown_sign_in_field_is_refused_before_sending(lib: CCGatewayLibrary) -> None:
    with pytest.raises(RequestSchemaError, match=r"body\.colour: not a field"):
        lib.sign_in_agent("101", PASSWORD, "70001", colour="red")
    assert not any(handle.signed_in for handle in lib.ctx.agents.values())


def test_rest_sends_whole_seconds_and_reason(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    lib.start_rest(timedelta(minutes=2), reason=9)
    event = lib.wait_for_event("AgentState_SetRest_Success")
    assert event["content"] == {"reason": "9"}
    assert lib.get_agent_status()["state"] == "rest"
    with pytest.raises(RequestSchemaError, match="whole seconds"):
        lib.start_rest(timedelta(seconds=1.5))


def test_rest_beyond_a_day_names_the_rule(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    with pytest.raises(RequestSchemaError, match=r"path\.time.*1 to 86399"):
        lib.start_rest(timedelta(days=1))


def test_busy_again_needs_prolong(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    lib.set_agent_busy(reason=201)
    with pytest.raises(RetcodeError, match="100-009"):
        lib.set_agent_busy(reason=202)
    lib.set_agent_busy(reason=202, prolong=True)
    lib.wait_for_event("AgentState_SetNotReady_Success", reason="202")


def test_reset_skills_and_read_them_back(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    every = lib.get_agent_skills()
    assert len(every) >= 2
    lib.reset_skills(every[1]["id"])
    assert [skill["id"] for skill in lib.get_agent_skills()] == [every[1]["id"]]
    lib.reset_skills(all_configured=True)
    assert lib.get_agent_skills() == every
    lib.reset_skills()
    assert lib.get_agent_skills() == []


def test_custom_state_round_trip(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    assert lib.get_custom_state() is None
    lib.set_custom_state(65534)
    assert lib.get_custom_state() == 65534
    lib.clear_custom_state()
    assert lib.get_custom_state() is None
    with pytest.raises(RetcodeError, match="100-009"):
        lib.clear_custom_state()


def test_refresh_guid_switches_requests_and_polls_to_the_new_guid(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    before = lib.ctx.agent().session.guid.guid
    lib.refresh_guid()
    after = lib.ctx.agent().session.guid.guid
    assert after is not None and before is not None and after.value != before.value
    assert after.value not in lib.ctx.secrets.mask(f"guid {after.value}")  # registered as a secret at once
    lib.set_agent_busy()
    lib.wait_for_event("AgentState_SetNotReady_Success")


def test_softphone_token_is_a_registered_secret(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    token = lib.get_softphone_token()
    assert isinstance(token, Secret)
    assert token.value not in lib.ctx.secrets.mask(f"token {token.value}")


def test_note_reaches_a_signed_in_agent_only(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    _sign_in(lib, "102", alias="second")
    lib.send_note("hello", "102", "103", agent="101")
    lib.wait_for_event("AgentOther_Note", agent="second")


def test_change_password_then_sign_in_with_it(simulated: CCGatewayLibrary) -> None:
    lib = simulated
    new = Secret("Fresh-Pass-7q")
    lib.sign_in_agent("104", PASSWORD, "70004")
    try:
        lib.change_agent_password(PASSWORD, new)
        lib.sign_out_agent()
        lib.sign_in_agent("104", PASSWORD, "70004", expected_retcode="100-004")
        lib.sign_in_agent("104", new, "70004")
        lib.change_agent_password(new, PASSWORD)
    finally:
        lib.sign_out_all_agents()


def test_sign_out_with_reason_stops_polling(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    handle = lib.ctx.agent()
    lib.sign_out_agent(reason=7)
    assert not handle.signed_in and handle.poller is None


def test_sign_out_all_agents_signs_out_each_and_counts_gone_ones_as_done(lib: CCGatewayLibrary) -> None:
    _sign_in(lib, "101", alias="a")
    _sign_in(lib, "102", alias="b")
    lib.send_raw_request("forceLogout", agent="b")  # the gateway forgets b; the library still holds it
    lib.sign_out_all_agents()
    assert not lib.ctx.agent("a").signed_in and not lib.ctx.agent("b").signed_in
    assert not _simulated_agent(lib, "101").signed_in  # type: ignore[attr-defined]


def test_sign_out_all_agents_fails_naming_the_agent_it_could_not_sign_out(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    handle = lib.ctx.agent()
    url = lib.ctx.settings.url
    lib.ctx.settings.url = "https://127.0.0.1:9"  # nothing listens there
    handle.session.base_url = "https://127.0.0.1:9"
    try:
        with pytest.raises(AgentError, match=r"1 agent\(s\) could not be signed out: agent 101: forceLogout"):
            lib.sign_out_all_agents()
        assert handle.signed_in
    finally:
        lib.ctx.settings.url = url
        handle.session.base_url = str(url)


def test_raw_request_to_a_path_outside_the_catalogue(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    reply = lib.send_raw_request("GET onlineagent/{agentid}/agentstatus")
    assert reply["retcode"] == "0" and reply["result"]["agentState"] == 4
    missing = lib.send_raw_request("DELETE /agentgateway/resource/onlineagent/{agentid}/nothing", expected_status=404)
    assert "Not Found" in missing


@pytest.mark.parametrize(("text", "problem"), [
    ("G3T onlineagent/x", "not an HTTP method"),
    ("GET onlineagent/x?y=1", "without spaces"),
    ("GET onlineagent/\x00", "without spaces"),
    ("GET onlineagent/{nope", "braces"),
    ("GET onlineagent/{other}", r"path\.other: is required"),
])
def test_raw_request_refuses_malformed_targets(lib: CCGatewayLibrary, text: str, problem: str) -> None:
    _sign_in(lib)
    with pytest.raises(CCGatewayError, match=problem):
        lib.send_raw_request(text)


def test_raw_request_fills_extra_path_placeholders(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    reply = lib.send_raw_request("rest", path_params={"time": "0", "restcause": "1"})
    assert reply["retcode"] == "000-002"  # the gateway refuses a rest of 0 s; the library would not send it


def test_raw_body_text_null_is_sent_as_json_null(lib: CCGatewayLibrary) -> None:
    _sign_in(lib)
    sent: list[object] = []
    session = lib.ctx.agent().session
    original = session.send

    def spy(method: str, path: str, **request: object) -> object:
        sent.append(request.get("body"))
        return original(method, path, **request)

    session.send = spy  # type: ignore[method-assign]
    try:
        lib.send_raw_request("confJoin", body="null")
        lib.send_raw_request("confJoin")
    finally:
        session.send = original  # type: ignore[method-assign]
    assert sent == [b"null", None]
