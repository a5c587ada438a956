"""What each conference keyword sends (the agentconf chapter), through the whole request pipeline with the
transport replaced by a recorder, as utest/test_supervisor_keyword_requests.py does for the supervisor keywords."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from recorded_library import Recorder, assert_sends, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import RequestSchemaError


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "101")


AC = "/agentconf/101"
TONE = "y:/conf/120/1136287.V3"
AGENT_102 = {"addressType": "9", "address": "102"}
NUMBER = {"addressType": "6", "address": "88880001"}
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("start_conference", (), {}, ("requestAgentConf", "POST", f"{AC}/requestagentconf", {}, {"memberNum": 3})),
    ("start_conference", (4, timedelta(minutes=50), timedelta(minutes=5), "10000", TONE), {},
     ("requestAgentConf", "POST", f"{AC}/requestagentconf", {},
      {"memberNum": 4, "time": 50, "promptTime": 5, "confCallerNo": "10000", "beepTone": True, "playMode": 2,
       "voicePath": TONE})),
    ("answer_conference_invitation", (), {}, ("answerAgentConf", "POST", f"{AC}/answeragentconf", {}, None)),
    ("reject_conference_invitation", (), {}, ("rejectAgentConf", "POST", f"{AC}/rejectagentconf", {}, None)),
    ("add_conference_participants", ("agent:102", "number:88880001"), {},
     ("batchAddParticipant", "POST", f"{AC}/batchaddparticipant", {}, {"addresses": [AGENT_102, NUMBER]})),
    ("add_conference_participants", ("agent:102",), {"tone": TONE, "caller": "10000"},
     ("batchAddParticipant", "POST", f"{AC}/batchaddparticipant", {},
      {"addresses": [AGENT_102], "beepTone": True, "playMode": 2, "voicePath": TONE, "caller": "10000"})),
    ("remove_conference_participants", ("agent:102", "number:88880001"), {},
     ("batchRemoveParticipant", "POST", f"{AC}/batchremoveparticipant", {}, {"addresses": [AGENT_102, NUMBER]})),
    ("hold_conference_participant", ("number:88880001", TONE), {},
     ("holdParticipant", "POST", f"{AC}/holdparticipant", {}, {**NUMBER, "playMode": 2, "voicePath": TONE})),
    ("unhold_conference_participant", ("agent:102",), {},
     ("unholdParticipant", "POST", f"{AC}/unholdparticipant", {}, AGENT_102)),
    ("set_conference_participant_mode", ("agent:102", "listen only"), {},
     ("changeParticipantMode", "POST", f"{AC}/changeparticipantmode", {}, {"attribute": 1, **AGENT_102})),
    ("hand_over_conference_chair", ("102",), {},
     ("applyToShiftPresident", "POST", f"{AC}/applytoshiftpresident", {}, {"destAgentNo": 102})),
    ("extend_conference", (timedelta(minutes=30),), {},
     ("prolongTime", "POST", f"{AC}/prolongtime", {}, {"prolongTime": 30})),
    ("play_conference_announcement", (TONE,), {},
     ("playVoiceToConf", "POST", f"{AC}/playvoicetoconf", {}, {"playType": 0, "playMode": 2, "voicePath": TONE})),
    ("play_conference_announcement", (TONE,), {"background": True},
     ("playVoiceToConf", "POST", f"{AC}/playvoicetoconf", {}, {"playType": 1, "playMode": 2, "voicePath": TONE})),
    ("play_conference_announcement", (TONE, "number:88880001"), {},
     ("playVoiceToParticipant", "POST", f"{AC}/playvoicetoparticipant", {},
      {**NUMBER, "playMode": 2, "voicePath": TONE})),
    ("stop_conference_announcement", (), {}, ("stopVoiceToConf", "POST", f"{AC}/stopvoicetoconf", {}, None)),
    ("stop_conference_announcement", ("number:88880001",), {},
     ("stopVoiceToParticipant", "POST", f"{AC}/stopvoicetoparticipant", {}, NUMBER)),
    ("leave_conference", (), {}, ("requestLeaveAgentConf", "POST", f"{AC}/requestleaveagentconf", {}, None)),
    ("end_conference", (), {}, ("releaseAgentConf", "POST", f"{AC}/releaseagentconf", {}, None)),
]


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_conference_keyword_sends_its_documented_request(
        lib: tuple[CCGatewayLibrary, Recorder], keyword: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected)


def test_every_interface_of_the_chapter_is_pinned_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    chapter = {interface.name for interface in library.ctx.catalogue.interfaces.values()
               if interface.chapter == "agentconf"}
    assert len(chapter) == 16
    assert chapter <= {case[3][0] for case in CASES}


@pytest.mark.parametrize(("keyword", "args", "message"), [
    ("add_conference_participants", ("102",), "participant '102' must be agent:<agent ID> or number:<phone number>"),
    ("add_conference_participants", (), "name at least one participant"),
    ("remove_conference_participants", ("phone:1",), "participant 'phone:1' must be agent:"),
    ("start_conference", (3, timedelta(seconds=90)), "duration must be whole minutes, got 90 seconds"),
    ("start_conference", (121,), "requestAgentConf request is invalid, not sent: body.memberNum"),
    ("extend_conference", (timedelta(0),), "by must be whole minutes, got 0 seconds"),
    ("set_conference_participant_mode", ("agent:102", "deaf"), "mode 'deaf' is not a participant mode"),
    ("hand_over_conference_chair", ("boss",), "agent_id 'boss' must be an agent ID"),
    ("hold_conference_participant", ("number:1", "x" * 128), "holdParticipant request is invalid, not sent: "
                                                             "body.voicePath"),
])
def test_bad_arguments_are_refused_before_sending(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                                  args: tuple[Any, ...], message: str) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError, match=message.replace(".", r"\.").replace("(", r"\(")):
        getattr(library, keyword)(*args)
    assert recorder.sent == []


def test_removal_returns_who_was_not_there_and_extension_what_was_added(
        lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = lib
    recorder.result = {"noExistParticipants": [{"addressType": "6", "address": "88880001"}]}
    assert library.remove_conference_participants("agent:102", "number:88880001") == ["number:88880001"]
    recorder.result = {"applyedTime": 50}
    assert library.extend_conference(timedelta(minutes=100)) == timedelta(minutes=50)
    recorder.retcode, recorder.result = "101-002", None
    assert library.extend_conference(timedelta(minutes=1), expected_retcode="101-002") is None
    assert library.remove_conference_participants("agent:102", expected_retcode="101-002") is None
