"""What each voice-call keyword sends: interface, method, path, query and body, through the whole request pipeline
(catalogue check, URL rules) with the transport replaced by a recorder. The simulator tests show the calls behave;
these pin the requests, so a field dropped or renamed in a keyword fails here even where the simulator is lenient."""

from __future__ import annotations

from typing import Any

import pytest
from recorded_library import CALLID, Recorder, assert_sends, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import RequestSchemaError
from CCGatewayLibrary.transport import Exchange


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "101")


CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("answer_call", (), {}, ("answer", "PUT", "/voicecall/101/answer", {}, None)),
    ("answer_call", (CALLID,), {}, ("answer", "PUT", "/voicecall/101/answer", {"callid": CALLID}, None)),
    ("release_call", (), {}, ("release", "DELETE", "/voicecall/101/release", {}, None)),
    ("release_call", (), {"legacy": True}, ("releaseEx", "DELETE", "/voicecall/101", {}, None)),
    ("reject_call", (), {}, ("reject", "POST", "/voicecall/101/reject", {}, {"mode": 2})),
    ("reject_call", ("busy", CALLID), {}, ("reject", "POST", "/voicecall/101/reject", {},
                                           {"mode": 1, "callid": CALLID})),
    ("hold_call", (), {}, ("hold", "POST", "/voicecall/101/hold", {}, None)),
    ("retrieve_call", (CALLID,), {}, ("getHold", "POST", "/voicecall/101/gethold", {"callid": CALLID}, None)),
    ("call_out", ("88880002",), {"caller": "70001", "skill_id": 3, "call_data": "x"},
     ("callout", "PUT", "/voicecall/101/callout", {},
      {"called": "88880002", "caller": "70001", "skillid": 3, "callappdata": "x"})),
    ("call_out", ("88880002",), {}, ("callout", "PUT", "/voicecall/101/callout", {}, {"called": "88880002"})),
    ("mute_call", (), {}, ("beginMute", "POST", "/voicecall/101/beginmute", {}, None)),
    ("unmute_call", (), {}, ("endMute", "POST", "/voicecall/101/endmute", {}, None)),
    ("send_digits", ("12*#",), {}, ("secondDialEx", "POST", "/voicecall/101/seconddialex", {"number": "12*#"}, None)),
    ("drop_call", (CALLID,), {}, ("dropCall", "POST", f"/voicecall/101/dropCall/{CALLID}", {}, None)),
    ("disconnect_party", ("88880002",), {}, ("disconnect", "POST", "/voicecall/101/disconnect/88880002", {},
                                             None)),
    ("pick_up_call", ("102",), {}, ("snatchpickup", "PUT", "/voicecall/101/snatchpickup", {"destWorkNo": "102"},
                                    None)),
    ("make_three_party_call", (CALLID,), {}, ("confJoin", "POST", "/voicecall/101/confjoin", {},
                                              {"callid": CALLID})),
    ("make_three_party_call", (CALLID, "data"), {}, ("confJoin", "POST", "/voicecall/101/confjoin", {},
                                                     {"callid": CALLID, "callappdata": "data"})),
    ("call_agent", ("102",), {}, ("callInner", "PUT", "/voicecall/101/callinner", {}, {"called": "102"})),
    ("call_skill_queue", (3,), {}, ("callInnerSkill", "PUT", "/voicecall/101/callinnerskill", {}, {"skillId": 3})),
    ("ask_for_help", ("102",), {}, ("innerHelp", "POST", "/voicecall/101/innerhelp", {},
                                    {"dstaddress": "102", "devicetype": 2, "mode": 1, "holdflag": True})),
    ("ask_for_help", ("3",), {"helper_type": "skill", "three_party": True, "hold": False},
     ("innerHelp", "POST", "/voicecall/101/innerhelp", {},
      {"dstaddress": "3", "devicetype": 1, "mode": 2, "holdflag": False})),
    ("transfer_call", ("102",), {}, ("transfer", "POST", "/voicecall/101/transfer", {},
                                     {"devicetype": 2, "address": "102", "mode": 2})),
    ("transfer_call", ("88880009",), {"to_type": "number", "mode": "three-party", "hold": True},
     ("transfer", "POST", "/voicecall/101/transfer", {}, {"devicetype": 5, "address": "88880009", "mode": 4,
                                                           "holdflag": True})),
    ("cancel_transfer", (), {}, ("cancelTransfer", "POST", "/voicecall/101/canceltransfer", {}, None)),
    ("connect_held_call", (CALLID,), {}, ("connectHold", "POST", f"/voicecall/101/connecthold/{CALLID}", {},
                                          None)),
    ("preview_call_out", ("88880003", 7), {}, ("previewCallout", "PUT", "/voicecall/101/previewcallout", {},
                                               {"called": "88880003", "callcontrolid": 7})),
    ("get_held_calls", (), {}, ("queryHoldListInfo", "GET", "/calldata/101/holdlist", {}, None)),
    ("get_call_info", (), {}, ("queryCallInfo", "GET", "/calldata/101/callinfo", {}, None)),
    ("get_call_info", (), {"include_last": False}, ("queryCallInfo", "GET", "/calldata/101/callinfo",
                                                    {"isNoContainLastCall": "true"}, None)),
    ("get_call_info", (), {"callid": CALLID}, ("queryCallInfoByCallId", "GET",
                                               f"/calldata/101/callinfobycallid/{CALLID}", {}, None)),
    ("get_call_info", (), {"before_answer": True}, ("queryCallInfoBeforeAnswer", "GET",
                                                    "/calldata/101/callinfobeforeanswer", {}, None)),
]


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_voice_call_keyword_sends_its_documented_request(
        lib: tuple[CCGatewayLibrary, Recorder], keyword: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected, any_case=True)


def test_every_voice_call_interface_a_keyword_tags_is_pinned_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    voice = {interface.name for interface in library.ctx.catalogue.interfaces.values()
             if interface.chapter == "voicecall"}
    tagged = {tag for function in library.keywords.values() for tag in getattr(function, "robot_tags", [])} & voice
    pinned = {case[3][0] for case in CASES}
    desk = {"phonepickup", "phonehangup"}  # no body, no query: pinned by the simulator tests of desk phones
    assert tagged - desk <= pinned, sorted(tagged - desk - pinned)


def test_a_transfer_mode_the_target_does_not_offer_is_refused_before_sending(
        lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError, match="mode 'talk' is not offered for a transfer to agent"):
        library.transfer_call("102", mode="talk")
    assert recorder.sent == []


def test_the_deprecated_names_send_what_the_new_ones_do(lib: tuple[CCGatewayLibrary, Recorder],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    library, recorder = lib
    warnings: list[str] = []
    monkeypatch.setattr("CCGatewayLibrary.keywords.calls.logger.warn", warnings.append)
    library.disconnect_call(CALLID)
    library.drop_conference_party("88880002")
    assert [sent[0] for sent in recorder.sent] == ["dropCall", "disconnect"]
    assert "Drop Call" in warnings[0] and "Disconnect Party" in warnings[1]


@pytest.mark.parametrize(("getter", "kwargs"), [
    ("get_held_calls", {}), ("get_call_info", {}), ("get_call_info", {"callid": CALLID}), ("get_agent_status", {}),
    ("get_agent_skills", {}), ("get_custom_state", {}), ("sync_agent_info", {}), ("get_softphone_token", {}),
])
def test_a_getter_takes_an_expected_refusal_and_then_returns_none(
        lib: tuple[CCGatewayLibrary, Recorder], getter: str, kwargs: dict[str, Any]) -> None:
    library, recorder = lib
    recorder.retcode = "100-006"
    assert getattr(library, getter)(**kwargs, expected_retcode="100-006") is None
    assert getattr(library, getter)(**kwargs, expected_retcode=["0", "100-006"]) is None


def test_a_getter_with_an_assertion_reads_again_until_it_holds(lib: tuple[CCGatewayLibrary, Recorder],
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from assertionengine import AssertionOperator

    library, recorder = lib
    monkeypatch.setattr("CCGatewayLibrary.keywords.base.ASSERTION_PAUSE", 0.01)
    states = iter([3, 3, 4])  # busy, busy, idle (getAgentStatus codes)
    original = recorder.send

    def send(*args: Any, **kwargs: Any) -> Exchange:
        recorder.result = {"agentState": next(states), "isWorking": False}
        return original(*args, **kwargs)

    monkeypatch.setattr(library.ctx.requests, "send", send)
    status = library.get_agent_status(AssertionOperator["=="], "idle")
    assert status is not None and status["state"] == "idle" and len(recorder.sent) == 3


def test_a_getter_whose_assertion_never_holds_names_the_getter_the_last_value_and_the_expected_one(
        lib: tuple[CCGatewayLibrary, Recorder], monkeypatch: pytest.MonkeyPatch) -> None:
    from assertionengine import AssertionOperator

    library, recorder = lib
    monkeypatch.setattr("CCGatewayLibrary.keywords.base.ASSERTION_PAUSE", 0.01)
    library.ctx.settings.assertion_timeout = 0.1
    recorder.result = {"agentState": 3, "isWorking": False}
    with pytest.raises(AssertionError, match=r"^Get Agent Status: state 'busy' \(str\) should be 'idle' \(str\) "
                                             r"\(tried \d+ times in 100 milliseconds\)$"):
        library.get_agent_status(AssertionOperator["=="], "idle")
    assert len(recorder.sent) >= 3
    recorder.sent.clear()
    recorder.result = [{"callid": CALLID}]
    with pytest.raises(AssertionError, match=r"^Get Held Calls: held calls .* should be .*custom words$|custom"):
        library.get_held_calls(AssertionOperator["=="], [], "custom words")


def test_a_getter_without_an_assertion_reads_once(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = lib
    recorder.result = {"agentState": 3, "isWorking": False}
    assert library.get_agent_status() is not None and len(recorder.sent) == 1
