"""What each queue and monitoring keyword sends (the queuedevice and querymonitor chapters and calldata's waiting
calls), through the whole request pipeline with the transport replaced by a recorder, as
utest/test_supervisor_keyword_requests.py does for the supervisor keywords."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from assertionengine import AssertionOperator
from recorded_library import Recorder, assert_sends, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import RequestSchemaError, SimulatorError

QD, QM = "/queuedevice/101", "/querymonitor/101"
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("get_queue_length", ("skill=2",), {}, ("queryQueueLengthBySkillId", "GET", f"{QD}/skillwaitnum/2", {}, None)),
    ("get_queue_length", ("7",), {}, ("queryQueueLengthBySkillId", "GET", f"{QD}/skillwaitnum/7", {}, None)),
    ("get_queue_length", ("signed in",), {},
     ("queryQueueLengthOnAgentSkills", "GET", f"{QD}/waitnumbyagent", {}, None)),
    ("get_queue_length", ("configured",), {}, ("queryQueueLengthOnAgent", "GET", f"{QD}/waitnum", {}, None)),
    ("get_waiting_calls", ("skill=2",), {},
     ("queryWaitCallInfoBySkillId", "GET", "/calldata/101/waitcallinfo/2", {}, None)),
    ("get_skill_statistics", ("skill = 3",), {},
     ("querySkillsStatisticInfo", "GET", f"{QM}/skillstatisticinfo/3", {}, None)),
    ("get_agent_statistics", (), {}, ("queryCallStatisticsInfoEx", "GET", "/calldata/101/statisticsEx", {}, None)),
    ("get_agent_statistics", (), {"full": True},
     ("queryCallStatisticsInfo", "GET", "/calldata/101/statistics", {}, None)),
    ("get_ivr_calls", (1,), {}, ("queryWaitCallInfoByIVRId", "GET", "/calldata/101/ivrcallinfo/1", {}, None)),
    ("get_ivr_calls", (1,), {"count_only": True},
     ("queryCallCountByIVRId", "GET", "/calldata/101/ivrcallcount/1", {}, None)),
    ("get_acd_statistics", (), {"skills": [1, "2"]},
     ("queryStatInfoOfAcd", "POST", f"{QD}/queryacdstat", {}, {"skills": [1, "2"]})),
    ("get_acd_statistics", (), {}, ("querySkillStatWithVdn", "POST", f"{QD}/queryskillstat", {}, None)),
    ("get_vdn_skill_queues", (), {}, ("querySkillQueueOnAgentVDN", "GET", f"{QD}/agentvdnskill", {}, None)),
    ("get_vdn_skill_queues", (), {"vdn": 4}, ("querySkillQueueOnVDN", "GET", f"{QD}/vdnskill/4", {}, None)),
    ("get_signed_in_skill_queues", ("102",), {},
     ("querySkillQueueOnAgent", "GET", f"{QD}/agentskill/102", {}, None)),
    ("get_access_codes", (), {}, ("queryInNoOnVDN", "GET", f"{QD}/innoinfo", {}, None)),
    ("get_ivrs", (), {}, ("queryIVRInfoOnVdn", "GET", f"{QD}/ivrinfo", {}, None)),
    ("get_server_time", (), {}, ("queryServerTime", "GET", f"{QM}/servertime", {}, None)),
    ("get_gateway_version", (), {}, ("querySysVersion", "GET", f"{QM}/systemversion", {}, None)),
    ("get_gateway_state", (), {}, ("querySystemStateInfo", "GET", f"{QM}/systemstate", {}, None)),
    ("get_cluster_nodes", (), {}, ("queryClusterInfo", "GET", f"{QM}/clusterinfo", {}, None)),
    ("get_cluster_nodes", (), {"name": "AgentGateway0"},
     ("queryClusterInfoByName", "GET", f"{QM}/clusterinfobyname/AgentGateway0", {}, None)),
    ("get_agent_nodes", (), {}, ("queryAllAgentClusterInfo", "GET", f"{QM}/allagentclusterinfo", {}, None)),
    ("get_agent_nodes", (), {"of_agent": "102"},
     ("queryAgentClusterInfo", "GET", f"{QM}/agentclusterinfo/102", {}, None)),
    ("set_agent_timeout_handling", (False,), {}, ("setAgentTimeOut", "POST", f"{QM}/setagenttimeout/false", {}, None)),
    ("set_maximum_chats", (1, 3), {}, ("setMaxChatNum", "POST", f"{QM}/setmaxchatnum/1/3", {}, None)),
    ("set_maximum_chats", (1, 3), {"agents": "101,102"},
     ("setMaxChatNum", "POST", f"{QM}/setmaxchatnum/1/3", {"agents": "101,102"}, None)),
]


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "101")


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_queue_keyword_sends_its_request(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                           args: tuple[Any, ...], kwargs: dict[str, Any],
                                           expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected)


def test_every_route_of_the_chapters_has_a_keyword_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    chapters = {interface.name for interface in library.ctx.catalogue.interfaces.values()
                if interface.chapter in ("queuedevice", "querymonitor")}
    assert len(chapters) == 20
    kept_here = {"queryWaitCallInfoBySkillId", "queryCallStatisticsInfo", "queryCallStatisticsInfoEx",
                 "queryCallCountByIVRId", "queryWaitCallInfoByIVRId"}  # under the calldata segment
    assert chapters | kept_here == {case[3][0] for case in CASES}


@pytest.mark.parametrize(("keyword", "args", "kwargs", "message"), [
    ("get_queue_length", ("everyone",), {}, "Get Queue Length: queue must name a skill queue as skill=<ID> or <ID> "
                                            "(a whole number from 1), or be 'signed in' or 'configured', got "
                                            "'everyone'"),
    ("get_queue_length", ("skill=0",), {}, "got 'skill=0'"),
    ("get_waiting_calls", ("billing",), {}, "Get Waiting Calls: queue must name a skill queue"),
    ("get_acd_statistics", (), {"skills": list(range(1, 102))}, "queryStatInfoOfAcd request is invalid, not sent: "
                                                                 "body.skills"),
    ("get_acd_statistics", (), {"skills": []}, "queryStatInfoOfAcd request is invalid, not sent: body.skills"),
    ("get_signed_in_skill_queues", ("12",), {}, "querySkillQueueOnAgent request is invalid, not sent: path.workNo"),
    ("set_maximum_chats", (-1, 3), {}, "setMaxChatNum request is invalid, not sent: path.vdnid"),
])
def test_bad_arguments_are_refused_before_sending(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                                  args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError) as caught:
        getattr(library, keyword)(*args, **kwargs)
    assert message in str(caught.value)
    assert recorder.sent == []


@pytest.mark.parametrize(("result", "count"), [(3, 3), ("4", 4), ({}, 0)])
def test_the_queue_length_reads_each_documented_form(lib: tuple[CCGatewayLibrary, Recorder], result: Any,
                                                     count: int) -> None:
    library, recorder = lib
    recorder.result = result
    assert library.get_queue_length("skill=1") == count


def test_getters_assert_and_a_refusal_gives_none(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = lib
    recorder.result = [{"callid": "1-1", "caller": "88880001"}]
    assert library.get_waiting_calls("2", AssertionOperator["=="], recorder.result) == recorder.result
    library.ctx.settings.assertion_timeout = 0
    with pytest.raises(AssertionError, match="Get Queue Length: callers waiting"):
        recorder.result = 2
        library.get_queue_length("skill=2", AssertionOperator["=="], 3)
    recorder.result = 3
    assert library.get_queue_length("skill=2", AssertionOperator[">="], " 3") == 3  # Robot gives the count as text
    recorder.retcode, recorder.result = "100-006", None
    assert library.get_skill_statistics("2", expected_retcode="100-006") is None


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"skill": 2, "agent_id": "101"}, "a call goes to an agent (agent or agent_id) or to a skill queue"),
    ({"skill": 2, "access_code": "60002"}, "give skill (a skill queue ID) or access_code"),
    ({"agent_id": "101", "patience": timedelta(seconds=5)}, "patience is for a call to a skill queue"),
])
def test_a_call_to_a_queue_is_refused_with_an_agent_before_anything_is_sent(
        lib: tuple[CCGatewayLibrary, Recorder], kwargs: dict[str, Any], message: str) -> None:
    library, recorder = lib
    with pytest.raises(SimulatorError, match=re.escape(message)):
        library.simulate_inbound_call("88880001", **kwargs)
    assert recorder.sent == []
