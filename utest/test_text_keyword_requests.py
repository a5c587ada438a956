"""What each text-session keyword sends (the mediacall chapter and the older textchat routes), through the whole
request pipeline with the transport replaced by a recorder; and what `Get Text Messages` reads from the events
the agent received."""

from __future__ import annotations

from typing import Any

import pytest
from assertionengine import AssertionOperator
from recorded_library import CALLID, Recorder, assert_sends, documented_interfaces, pinned, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import RequestSchemaError
from CCGatewayLibrary.events.journal import EventJournal


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "101")


MC, TC = "/mediacall/101", "/textchat/101"
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("answer_text_session", (CALLID,), {}, ("textchatAnswer", "PUT", f"{TC}/answer/{CALLID}", {}, None)),
    ("reject_text_session", (CALLID,), {}, ("textchatReject", "DELETE", f"{TC}/reject/{CALLID}", {}, None)),
    ("end_text_session", (CALLID,), {}, ("textchatDrop", "DELETE", f"{TC}/drop/{CALLID}", {}, None)),
    ("send_text_message", (CALLID, "How can I help?"), {},
     ("sendMessage", "POST", f"{MC}/sendmessage", {}, {"callid": CALLID, "data": "How can I help?"})),
    ("send_text_message", (CALLID, "Hi"), {"user_id": "u1"},
     ("sendMessage", "POST", f"{MC}/sendmessage", {}, {"callid": CALLID, "data": "Hi", "userid": "u1"})),
    ("transfer_text_session", (CALLID, "102"), {},
     ("mediaTransfer", "POST", f"{MC}/transfer", {}, {"callid": CALLID, "devicetype": 2, "mode": 0, "address": "102"})),
    ("transfer_text_session", (CALLID, "7"), {"to_type": "skill", "mode": "success", "call_data": "vip"},
     ("mediaTransfer", "POST", f"{MC}/transfer", {},
      {"callid": CALLID, "devicetype": 1, "mode": 2, "address": "7", "calldata": "vip"})),
    ("set_text_session_limit", (3,), {}, ("setCallNums", "POST", f"{MC}/setcallnums", {},
                                          {"mediaType": "1", "callnums": "3"})),
    ("get_video_connection_info", (CALLID,), {},
     ("getConnectInfo", "POST", f"{MC}/getconnectinfo", {}, {"userType": "agent", "callid": CALLID})),
    ("capture_customer_image", (CALLID,), {},
     ("imageCapture", "POST", f"{MC}/imagecapture", {}, {"userType": "user", "callid": CALLID})),
]


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_text_keyword_sends_its_request(
        lib: tuple[CCGatewayLibrary, Recorder], keyword: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected)


def test_every_documented_interface_of_the_chapter_is_pinned_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    documented = documented_interfaces(library, "mediacall")
    assert len(documented) == 5
    assert documented <= pinned(CASES)


@pytest.mark.parametrize(("keyword", "args", "message"), [
    ("send_text_message", (CALLID, "  "), "text is empty"),
    ("transfer_text_session", (CALLID, "102", "queue"), "to_type 'queue' is not a target"),
    ("transfer_text_session", (CALLID, "102", "agent", "later"), "mode 'later' is not a transfer mode"),
    ("set_text_session_limit", (3, 99), "setCallNums request is invalid, not sent: body.mediaType"),
    ("answer_text_session", (" ",), "textchatAnswer request is invalid, not sent: path.callid"),
])
def test_bad_arguments_are_refused_before_sending(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                                  args: tuple[Any, ...], message: str) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError, match=message.replace(".", r"\.")):
        getattr(library, keyword)(*args)
    assert recorder.sent == []


def _message(callid: str, text: str) -> dict[str, Any]:
    return {"eventType": "AgentEvent_MessageData", "workNo": "101",
            "content": {"callid": callid, "caller": "88880001", "called": "70001", "feature": 0, "type": "main",
                        "message": text, "mediaAbility": "5"}}


def test_the_messages_that_arrived_are_read_from_the_agents_events(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    journal = library.ctx.agent(None).journal = EventJournal("agent 101")
    journal.append(_message(CALLID, "hello"))
    journal.append({"eventType": "AgentState_Ready", "workNo": "101", "content": None})
    journal.append(_message("1-2", "other session"))
    journal.append(_message(CALLID, "are you there?"))
    assert [m["text"] for m in library.get_text_messages()] == ["hello", "other session", "are you there?"]
    assert library.get_text_messages(CALLID) == [{"callid": CALLID, "caller": "88880001", "text": "hello"},
                                                 {"callid": CALLID, "caller": "88880001", "text": "are you there?"}]
    library.get_text_messages(CALLID, AssertionOperator["=="], ["hello", "are you there?"])
    library.ctx.settings.assertion_timeout = 0.0
    with pytest.raises(AssertionError, match="Get Text Messages: texts"):
        library.get_text_messages("1-2", AssertionOperator["contains"], "hello")
