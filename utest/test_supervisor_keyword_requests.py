"""What each supervisor keyword sends (the qualitycontrol chapter), through the whole request pipeline with the
transport replaced by a recorder, as utest/test_call_keyword_requests.py does for the voice-call keywords."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from recorded_library import CALLID, Recorder, assert_sends, documented_interfaces, pinned, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import RequestSchemaError


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "900")


QC = "/qualitycontrol/900"
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("listen_to_agent", ("101",), {}, ("addSupervise", "PUT", f"{QC}/addsupervise/101", {}, None)),
    ("barge_in", ("101",), {}, ("addInsert", "PUT", f"{QC}/addinsert/101", {}, None)),
    ("whisper_to_agent", ("101",), {},
     ("requestWhisperAgent", "POST", f"{QC}/requestwhisperagent", {"whisperagentid": "101"}, None)),
    ("switch_inspection_mode", ("barge in",), {},
     ("requestSwitchInsertWhisperAgent", "POST", f"{QC}/requestswitchinsertwhisperagent", {"switchtype": "1"}, None)),
    ("switch_inspection_mode", ("whisper", "101"), {},
     ("requestSwitchInsertWhisperAgent", "POST", f"{QC}/requestswitchinsertwhisperagent",
      {"switchtype": "2", "whisperagentid": "101"}, None)),
    ("toggle_listening_and_barging_in", ("101",), {},
     ("switchSuperviseOrInsert", "POST", f"{QC}/switch/101", {}, None)),
    ("stop_inspecting_agent", ("101",), {}, ("stopSuperviseOrInsert", "DELETE", f"{QC}/101", {}, None)),
    ("stop_whispering", (), {}, ("requestStopWhisperAgent", "POST", f"{QC}/requeststopwhisperagent", {}, None)),
    ("stop_whispering", ("101",), {},
     ("requestStopWhisperAgent", "POST", f"{QC}/requeststopwhisperagent", {"whisperagentid": "101"}, None)),
    ("intercept_call", ("101",), {}, ("intercept", "PUT", f"{QC}/intercept/101", {}, None)),
    ("intercept_call", ("101", CALLID), {}, ("interceptCall", "PUT", f"{QC}/intercept/101/{CALLID}", {}, None)),
    ("force_agent_busy", ("101",), {}, ("forceBusy", "POST", f"{QC}/forcebusy/101", {}, None)),
    ("force_agent_idle", ("101",), {}, ("forceIdle", "POST", f"{QC}/forceidle/101", {}, None)),
    ("force_agent_rest", ("101", timedelta(minutes=10), 2), {},
     ("forceRest", "POST", f"{QC}/forcerest/101/600/2", {}, None)),
    ("force_sign_out_agent", ("101",), {}, ("forceLogOutAgent", "POST", f"{QC}/forcelogout/101", {}, None)),
    ("force_release_call", (CALLID,), {}, ("forceDropCall", "POST", f"{QC}/forcedropcall/{CALLID}", {}, None)),
    ("adjust_agent_skills", ("101", 1, 2), {},
     ("adjustSkill", "POST", f"{QC}/adjustskill", {}, {"workNo": "101", "skills": [1, 2]})),
    ("get_inspected_agents", (), {}, ("queryAllMonitoredAgents", "GET", f"{QC}/allagent", {}, None)),
]


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_supervisor_keyword_sends_its_documented_request(
        lib: tuple[CCGatewayLibrary, Recorder], keyword: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected)


def test_every_documented_interface_of_the_chapter_is_pinned_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    documented = documented_interfaces(library, "qualitycontrol")
    assert len(documented) == 15
    assert documented <= pinned(CASES)


@pytest.mark.parametrize(("keyword", "args", "message"), [
    ("force_agent_rest", ("101", timedelta(seconds=1.5), 2), "path.time: the gateway takes whole seconds, got 1.5"),
    ("force_agent_rest", ("101", timedelta(minutes=1), 0), "forceRest request is invalid, not sent: path.reason"),
    ("switch_inspection_mode", ("shout",), "mode 'shout' is not an inspection mode; choose listen, barge in, whisper"),
    ("listen_to_agent", ("12",), "addSupervise request is invalid, not sent: path.workNo"),
])
def test_bad_arguments_are_refused_before_sending(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                                  args: tuple[Any, ...], message: str) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError, match=message.replace(".", r"\.")):
        getattr(library, keyword)(*args)
    assert recorder.sent == []


def test_the_inspected_agents_are_returned_and_a_refusal_gives_none(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = lib
    recorder.result = [{"workNo": "101", "qcType": 8}]
    assert library.get_inspected_agents() == [{"workNo": "101", "qcType": 8}]
    recorder.retcode, recorder.result = "900-002", None
    assert library.get_inspected_agents(expected_retcode="900-002") is None
