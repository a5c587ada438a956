"""Recording and playback in the simulated gateway: agent 101 records its call with customer 88880001, pauses,
resumes and stops the recording (or the call ends it), finds its recordings and downloads them as WAV files; it
plays a recording to itself in a call and out of one, pauses, resumes, skips, moves and stops the playback, and the
end of the file stops it. Events are checked against their schemas and the catalogue, as the server does."""

from __future__ import annotations

import io
import wave
from typing import Any

import pytest
import requests
from simulated_world import AGENT, CATALOGUE, COLLEAGUES, CUSTOMER, OTHER_AGENT, PHONE, SimulatedWorld, Worlds

from CCGatewayLibrary.catalogue.states import AgentState
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.operations import FileReply
from CCGatewayLibrary.simulator.recording import Recording, tone_wav
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner

SUPERVISOR = "900"
RECORD = {"body": {"mediaType": 5}}
RELEASED = ["AgentOther_PhoneRelease", "AgentState_Ready"]


@pytest.fixture
def world(worlds: Worlds) -> SimulatedWorld:
    """Agents 101, 102 and 103 idle with manual answer."""
    made = worlds()
    made.sign_in_all(*COLLEAGUES)
    return made


def _recording(world: SimulatedWorld, agent_id: str = AGENT) -> Recording:
    return world.model.recording.running[agent_id]


def _recorded(world: SimulatedWorld, seconds: float = 30) -> str:
    """101 records ``seconds`` of a call with the customer, which then ends; returns the recording's name."""
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    world.clock.advance(seconds)
    name = _recording(world).file_name
    world.do("releaseEx", AGENT)
    world.drain_all()
    return name


def _play(world: SimulatedWorld, name: str, **body: Any) -> None:
    world.do("beginPlay", AGENT, body={"voicepath": name, **body})


# -- recording --------------------------------------------------------------------------------------------------
def test_a_call_is_recorded_from_start_to_stop(world: SimulatedWorld) -> None:
    callid = world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    assert world.names() == ["AgentMediaEvent_Record"]
    started = world.last[0]["content"]
    assert started["callId"] == callid and started["caller"] == CUSTOMER and started["fileMediaType"] == "1"
    assert started["fileName"].startswith(f"Y:/1/0/20231114/{AGENT}/") and started["fileName"].endswith(".wav")
    world.clock.advance(12.5)
    world.do("stopRecord", AGENT)
    assert world.names() == ["AgentMediaEvent_StopRecordDone"]
    stopped = world.last[0]["content"]
    assert stopped["taskId"] == started["taskId"] and stopped["callId"] == callid
    assert stopped["endTime"] - stopped["beginTime"] == 12_500
    [listed] = world.do("queryRecordFileByCallId", AGENT, query={"callId": callid})
    assert listed["fileName"] == started["fileName"] and listed["recordID"] == started["recordID"]
    assert (listed["duration"], listed["state"], listed["workNo"]) == (12.5, "stopped", AGENT)
    assert world.model.recording.running == {}


def test_a_given_file_name_names_the_recording(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, body={"mediaType": "5", "fileName": "Y:/1/0/20231114/101/mine.wav"})
    assert world.names()[0] == "AgentMediaEvent_Record"
    assert world.last[0]["content"]["fileName"] == "Y:/1/0/20231114/101/mine.wav"


def test_pauses_are_left_out_of_the_duration(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    world.clock.advance(10)
    world.do("pauseRecord", AGENT)
    assert world.model.recording.own_recordings(world[AGENT], {})[0]["state"] == "paused"
    world.clock.advance(100)
    world.do("resumeRecord", AGENT)
    world.clock.advance(5)
    world.do("stopRecord", AGENT)
    [listed] = world.do("querySelfRecordFile", AGENT)
    assert listed["duration"] == 15


def test_durations_follow_the_time_scale(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(time_scale=0.1))
    world.sign_in_all(*COLLEAGUES)
    name = _recorded(world, seconds=3)
    [listed] = world.do("queryRecordFileFromRecordID", AGENT, query={"recordId": name})
    assert listed["duration"] == 30


def test_the_call_ending_stops_its_recording(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    world.drain_all()
    world.model.customer_hangs_up(world[AGENT].calls[0].callid)
    names = world.names()
    assert names[0] == "AgentMediaEvent_StopRecordDone" and "AgentEvent_Customer_Release" in names
    assert (None, "AgentMediaEvent_StopRecordDone") in world.caused  # the platform's doing, not an interface's
    assert world.model.recording.recordings[0].state == "stopped"


def test_a_signed_out_agent_leaves_no_recording_running(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    world.do("forceLogout", AGENT)
    assert world.model.recording.running == {}


@pytest.mark.parametrize(("interface", "setup", "code"), [
    ("beginRecord", "idle", "500-008"),
    ("beginRecord", "recording", "500-008"),
    ("beginRecord", "inspecting", "500-008"),
    ("beginRecordWithoutFilename", "idle", "500-008"),
    ("stopRecord", "talking", "100-007"),
    ("pauseRecord", "talking", "500-004"),
    ("pauseRecord", "paused", "500-004"),
    ("resumeRecord", "recording", "500-006"),
])
def test_recording_refusals(world: SimulatedWorld, interface: str, setup: str, code: str) -> None:
    recorder = AGENT
    if setup != "idle":
        world.customer_talking_to(AGENT)
    if setup in ("recording", "paused"):
        world.do("beginRecord", AGENT, **RECORD)
    if setup == "paused":
        world.do("pauseRecord", AGENT)
    if setup == "inspecting":  # the supervisor listens to 101's call and tries to record it
        world.sign_in(SUPERVISOR, phonenum="7900")
        world.do("addSupervise", SUPERVISOR, path={"workNo": AGENT})
        recorder = SUPERVISOR
    world.refused(code, interface, recorder, **(RECORD if interface == "beginRecord" else {}))


def test_screen_recording_answers_with_events(world: SimulatedWorld) -> None:
    world.do("stopRecordScreen", AGENT)
    world.do("startRecordScreen", AGENT)
    world.do("startRecordScreen", AGENT)
    world.do("stopRecordScreen", AGENT)
    assert world.names() == ["AgentMediaEvent_StopRecordScreen_Fail", "AgentMediaEvent_StartRecordScreen_Succ",
                             "AgentMediaEvent_StartRecordScreen_Fail", "AgentMediaEvent_StopRecordScreen_Succ"]


# -- recording files --------------------------------------------------------------------------------------------
def test_a_finished_recording_downloads_as_a_wav_file(world: SimulatedWorld) -> None:
    name = _recorded(world)
    served = world.do("downloadRecordFile", OTHER_AGENT, query={"recordId": name.lower(), "filetype": "1"})
    assert isinstance(served, FileReply) and served.name == name.rsplit("/", 1)[-1]
    with wave.open(io.BytesIO(served.content)) as audio:
        assert (audio.getnchannels(), audio.getframerate()) == (1, 8000)
        assert audio.getnframes() == 8000  # one second
    by_call = world.do("recordfiledownloadEx", AGENT,
                       query={"callId": world.model.recording.recordings[0].callid})
    assert by_call.content == served.content == tone_wav()


@pytest.mark.parametrize(("interface", "query", "code"), [
    ("downloadRecordFile", {"recordId": "1524488.V3"}, "104-003"),
    ("downloadRecordFile", {"recordId": "Y:/1/0/20231114/101/none.wav"}, "104-005"),
    ("downloadRecordFile", {"recordId": "RECORDING", "filetype": "2"}, "104-005"),
    ("recordfiledownloadEx", {"callId": "1-1"}, "104-005"),
    ("recordfiledownloadEx", {"callId": "CALL", "hwFileName": "Y:/1/0/x.mp4"}, "104-005"),
    ("downloadVideoFile", {"conferenceId": "7a008307", "fileType": "0"}, "104-005"),
    ("downloadVideoFileEx", {"recordId": "Y:/1/0/x.mp4"}, "104-005"),
])
def test_download_refusals(world: SimulatedWorld, interface: str, query: dict[str, str], code: str) -> None:
    name = _recorded(world)
    wanted = {key: name if value == "RECORDING" else world.model.recording.recordings[0].callid
              if value == "CALL" else value for key, value in query.items()}
    world.refused(code, interface, AGENT, query=wanted)


def test_a_recording_still_running_cannot_be_downloaded(world: SimulatedWorld) -> None:
    world.customer_talking_to(AGENT)
    world.do("beginRecord", AGENT, **RECORD)
    world.refused("104-005", "downloadRecordFile", AGENT, query={"recordId": _recording(world).file_name})


def test_recordings_are_listed_per_agent_and_per_call(world: SimulatedWorld) -> None:
    first = _recorded(world)
    world.customer_talking_to(OTHER_AGENT)
    world.do("beginRecord", OTHER_AGENT, **RECORD)
    assert [r["fileName"] for r in world.do("queryRecordFile", AGENT)] == [first]
    [running] = world.do("queryRecordFile", OTHER_AGENT)
    assert running["state"] == "recording" and running["endTime"] is None
    assert world.do("queryRecordFileByCallId", AGENT, query={"callId": "1-1"}) == []
    assert world.do("queryRecordFileFromRecordID", AGENT, query={"recordId": "Y:/none.wav"}) == []
    assert world.do("queryRecordFileURL", AGENT) is None


# -- playback ---------------------------------------------------------------------------------------------------
def test_playing_out_of_a_call_calls_the_agents_phone(world: SimulatedWorld) -> None:
    name = _recorded(world)
    _play(world, name)
    assert world.names() == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook",
                             "AgentMediaEvent_Play_Succ", "AgentMediaEvent_Play"]
    assert world[AGENT].state == AgentState.TALKING
    world.do("stopPlay", AGENT)
    assert world.names() == [*RELEASED, "AgentMediaEvent_StopPlayDone"]
    assert world.last[-1]["content"] == {"cause": 1} and world.last[0]["content"] == {"phoneState": 2}
    assert world[AGENT].state == AgentState.IDLE


def test_playing_in_a_call_sends_the_playback_events_only(world: SimulatedWorld) -> None:
    name = _recorded(world)
    world.customer_talking_to(AGENT)
    world.do("beginNetPlay", AGENT, body={"fileName": name, "ccId": 1})
    assert world.names() == ["AgentMediaEvent_Play_Succ", "AgentMediaEvent_Play"]
    world.do("stopPlay", AGENT)
    assert world.names() == ["AgentMediaEvent_StopPlayDone"]
    assert world[AGENT].state == AgentState.TALKING


def test_a_playback_into_a_call_ends_with_the_call(world: SimulatedWorld) -> None:
    name = _recorded(world)
    customer = world.customer_talking_to(AGENT)
    _play(world, name)
    world.drain()
    world.model.customer_hangs_up(customer)
    names = world.names()
    assert names[0] == "AgentMediaEvent_StopPlayDone" and world.last[0]["content"] == {"cause": 0}
    assert names[-1] == "AgentState_Ready" and world.model.recording.playback(world[AGENT]) is None
    _play(world, name)  # the agent may play again, now out of a call
    assert world.names()[0] == "AgentState_Busy"


def test_the_end_of_the_file_stops_the_playback_after_its_length_scaled(worlds: Worlds) -> None:
    world = worlds(SimulatorConfig(time_scale=0.5))
    world.sign_in_all(*COLLEAGUES)
    name = _recorded(world, seconds=15)  # 30 s of recording
    _play(world, name, startpostion=10)
    world.drain()
    assert world.timers.delays[-1] == pytest.approx(10)  # 20 s of the file left, at half the time
    world.timers.run_all()
    assert world.names() == ["AgentOther_PhoneRelease", "AgentState_Ready", "AgentMediaEvent_StopPlayDone"]
    assert world.last[-1]["content"] == {"cause": 0} and world.last[0]["content"] == {"phoneState": 3}
    assert (None, "AgentMediaEvent_StopPlayDone") in world.caused


def test_pausing_resuming_and_skipping_move_the_end_of_the_file(world: SimulatedWorld) -> None:
    name = _recorded(world, seconds=60)
    _play(world, name)
    world.drain()
    world.clock.advance(10)
    world.do("pausePlay", AGENT)
    world.clock.advance(500)  # paused: the file does not move on
    world.timers.run_all()  # the first end-of-file timer is superseded
    assert world.names() == ["AgentMediaEvent_PausePlayDone"]
    world.do("resumePlay", AGENT)
    assert world.timers.delays[-1] == 50
    world.do("foreFastPlay", AGENT, path={"time": "20"})
    assert world.timers.delays[-1] == 30
    world.do("backFastPlay", AGENT, path={"time": "100"})
    assert world.timers.delays[-1] == 60  # back to the start
    world.do("playRelocation", AGENT, body={"seekseconds": 15, "seekposition": 2})
    assert world.timers.delays[-1] == 15
    world.do("playRelocation", AGENT, body={"seekseconds": 5, "seekposition": "1", "seekdirection": "1"})
    assert world.timers.delays[-1] == 20
    assert world.names() == ["AgentMediaEvent_ResumePlayDone", "AgentMediaEvent_JumpPlayDone",
                             "AgentMediaEvent_JumpPlayDone"]
    assert world.model.recording.describe(world[AGENT])["playback"] == {
        "path": name, "length": 60, "plays": 1, "position": 40, "state": "playing"}


def test_times_plays_the_file_that_often_and_relocation_stays_in_the_play_going_on(world: SimulatedWorld) -> None:
    name = _recorded(world)
    _play(world, name, times=3)
    assert world.timers.delays[-1] == 90
    world.clock.advance(40)  # in the second play, 10 s into the file
    world.do("playRelocation", AGENT, body={"seekseconds": 5, "seekposition": 2})
    assert world.timers.delays[-1] == 35  # the last 5 s of the second play and the whole third
    assert world.model.recording.describe(world[AGENT])["playback"]["position"] == 25
    world.refused("500-013", "playRelocation", AGENT, body={"seekseconds": 31, "seekposition": 0})
    world.do("foreFastPlay", AGENT, path={"time": "60"})  # past the end of the last play
    assert world.names()[-1] == "AgentMediaEvent_StopPlayDone"


def test_netplay_with_play_time_0_loops_until_stopped(world: SimulatedWorld) -> None:
    name = _recorded(world)
    world.customer_talking_to(AGENT)
    delays = len(world.timers.delays)
    world.do("beginNetPlay", AGENT, body={"fileName": name, "ccId": 1, "playTime": 0})
    world.do("foreFastPlay", AGENT, path={"time": "1000"})
    assert len(world.timers.delays) == delays  # no end of the file to wait for
    world.clock.advance(45)
    assert world.model.recording.describe(world[AGENT])["playback"]["plays"] == 0
    assert world.model.recording.describe(world[AGENT])["playback"]["position"] == 25  # (1000 + 45) s mod 30 s
    world.do("stopPlay", AGENT)
    assert world.names()[-1] == "AgentMediaEvent_StopPlayDone"


def test_fast_forward_past_the_end_finishes_the_playback(world: SimulatedWorld) -> None:
    name = _recorded(world)
    _play(world, name)
    world.drain()
    world.do("foreFastPlay", AGENT, path={"time": "31"})
    assert world.names() == ["AgentMediaEvent_JumpPlayDone", *RELEASED, "AgentMediaEvent_StopPlayDone"]
    assert world.last[-1]["content"] == {"cause": 0}


def test_a_file_the_simulator_has_not_recorded_fails_to_play(world: SimulatedWorld) -> None:
    _play(world, "Y:/voice/welcome.wav")
    assert world.names() == ["AgentState_Busy", "AgentOther_PhoneAlerting", "AgentOther_PhoneOffhook", *RELEASED,
                             "AgentMediaEvent_Play_Fail", "AgentMediaEvent_StopPlayDone"]
    assert world.last[-1]["content"] == {"cause": 2}
    world.customer_talking_to(AGENT)
    _play(world, "Y:/voice/welcome.wav")
    assert world.names() == ["AgentMediaEvent_Play_Fail", "AgentMediaEvent_StopPlayDone"]


@pytest.mark.parametrize(("interface", "playing", "request_", "code"), [
    ("pausePlay", False, {}, "500-003"),
    ("resumePlay", True, {}, "500-005"),
    ("foreFastPlay", False, {"path": {"time": "5"}}, "500-002"),
    ("backFastPlay", False, {"path": {"time": "5"}}, "500-001"),
    ("stopPlay", False, {}, "500-009"),
    ("playRelocation", False, {"body": {"seekseconds": 1, "seekposition": 0}}, "500-012"),
    ("playRelocation", True, {"body": {"seekseconds": 31, "seekposition": 0}}, "500-013"),
    ("playRelocation", True, {"body": {"seekseconds": 1, "seekposition": 1, "seekdirection": 1}}, "500-013"),
    ("beginPlay", True, {"body": {"voicepath": "RECORDING"}}, "500-007"),
])
def test_playback_refusals(world: SimulatedWorld, interface: str, playing: bool, request_: dict[str, Any],
                           code: str) -> None:
    name = _recorded(world)
    if playing:
        _play(world, name)
    if "body" in request_ and "voicepath" in request_["body"]:
        request_ = {"body": {"voicepath": name}}
    world.refused(code, interface, AGENT, **request_)


def test_pausing_twice_is_refused(world: SimulatedWorld) -> None:
    _play(world, _recorded(world))
    world.do("pausePlay", AGENT)
    world.refused("500-003", "pausePlay", AGENT)


def test_netplay_is_refused_in_a_three_party_call(world: SimulatedWorld) -> None:
    name = _recorded(world)
    world.customer_talking_to(AGENT)
    world[AGENT].calls[0].state = world[AGENT].calls[0].state.CONFERENCE
    world.refused("500-007", "beginNetPlay", AGENT, body={"fileName": name, "ccId": 1})


def test_an_inspector_cannot_play_to_itself_while_inspecting(world: SimulatedWorld) -> None:
    name = _recorded(world)
    world.customer_talking_to(AGENT)
    world.sign_in(SUPERVISOR, phonenum="7900")
    world.do("addSupervise", SUPERVISOR, path={"workNo": AGENT})
    world.refused("500-007", "beginPlay", SUPERVISOR, body={"voicepath": name})


def test_a_playback_ends_with_the_session(world: SimulatedWorld) -> None:
    name = _recorded(world)
    _play(world, name)
    world.do("forceLogout", AGENT)
    world.sign_in(AGENT)
    world.timers.run_all()  # the old playback's end of file does nothing to the new session
    assert world[AGENT].state == AgentState.IDLE
    world.refused("500-009", "stopPlay", AGENT)


def test_without_auto_idle_the_phone_released_after_playback_leaves_the_agent_in_work(worlds: Worlds) -> None:
    world = worlds()
    world.sign_in_all(*COLLEAGUES)
    name = _recorded(world)
    world.sign_in(AGENT, force=True, autoenteridle="false")
    world.drain()
    _play(world, "Y:/voice/welcome.wav")
    assert world.names()[-4:] == ["AgentOther_PhoneRelease", "AgentState_Work", "AgentMediaEvent_Play_Fail",
                                  "AgentMediaEvent_StopPlayDone"]
    _play(world, name)
    world.do("stopPlay", AGENT)
    assert world.names()[-3:] == ["AgentOther_PhoneRelease", "AgentState_Work", "AgentMediaEvent_StopPlayDone"]
    assert world[AGENT].state == AgentState.WORK


def test_the_server_sends_a_download_as_the_file_with_the_documented_content_type() -> None:
    runner = SimulatorRunner(SimulatorConfig(poll_wait=0.2))
    endpoint = runner.start_in_thread()
    try:
        http = requests.Session()
        http.trust_env = False  # REQUESTS_CA_BUNDLE would replace the simulator's CA
        http.verify = str(endpoint.ca_file)

        def url(interface: str) -> str:
            return endpoint.url + CATALOGUE.interface(interface).url_path({"agentid": AGENT})

        signed_in = http.put(url("login"), json={"password": Roster.load().password_of(AGENT), "phonenum": PHONE,
                                                 "autoanswer": True}, timeout=5)
        http.headers["Guid"] = signed_in.headers["Set-GUID"].partition("=")[2]
        assert http.post(endpoint.url + "/ccgw-sim/v1/calls", json={"caller": CUSTOMER, "agent": AGENT},
                         timeout=5).status_code == 201
        assert http.put(url("beginRecord"), json={"mediaType": 5}, timeout=5).json()["retcode"] == "0"
        assert http.delete(url("stopRecord"), timeout=5).json()["retcode"] == "0"
        [recording] = http.get(url("queryRecordFile"), timeout=5).json()["result"]
        served = http.get(url("downloadRecordFile"), params={"recordId": recording["fileName"]}, timeout=5)
        assert served.status_code == 200
        assert served.headers["Content-Type"] == CATALOGUE.interface("downloadRecordFile").file_type \
            == "application/octet-stream;charset=utf-8"
        with wave.open(io.BytesIO(served.content)) as audio:
            assert audio.getnframes() == audio.getframerate()
        refused = http.get(url("downloadRecordFile"), params={"recordId": "Y:/none.wav"}, timeout=5)
        assert refused.headers["Content-Type"].startswith("application/json")
        assert refused.json()["retcode"] == "104-005"
        counters = http.get(endpoint.url + "/ccgw-sim/v1/counters", timeout=5).json()
        assert counters["answers"]["downloadRecordFile"] == {"0": 1, "104-005": 1}
        assert counters["contractBreaches"] == 0
    finally:
        runner.stop()
