"""What each recording and playback keyword sends (the recordplay and recordfile chapters), through the whole request
pipeline with the transport replaced by a recorder, as utest/test_call_keyword_requests.py does for the voice-call
keywords; and what Download Recording makes of a file, a refusal and a success without a file."""

from __future__ import annotations

import wave
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from recorded_library import CALLID, Recorder, assert_sends, documented_interfaces, pinned, recorded_library

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.catalogue import Interface
from CCGatewayLibrary.errors import RequestSchemaError, ResponseSchemaError, RetcodeError
from CCGatewayLibrary.simulator.recording import tone_wav
from CCGatewayLibrary.transport import Exchange


@pytest.fixture
def lib(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    return recorded_library(monkeypatch, "101")


RP = "/recordplay/101"
NAME = "Y:/1/0/20250101/101/1524488.wav"
CASES: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("start_recording", (), {}, ("beginRecord", "PUT", f"{RP}/record", {}, {"mediaType": 5})),
    ("start_recording", (NAME,), {}, ("beginRecord", "PUT", f"{RP}/record", {}, {"mediaType": 5, "fileName": NAME})),
    ("pause_recording", (), {}, ("pauseRecord", "POST", f"{RP}/pauserecord", {}, None)),
    ("resume_recording", (), {}, ("resumeRecord", "POST", f"{RP}/resumerecord", {}, None)),
    ("stop_recording", (), {}, ("stopRecord", "DELETE", f"{RP}/stoprecord", {}, None)),
    ("start_screen_recording", (), {}, ("startRecordScreen", "PUT", f"{RP}/startrecordscreen", {}, None)),
    ("stop_screen_recording", (), {}, ("stopRecordScreen", "DELETE", f"{RP}/stoprecordscreen", {}, None)),
    ("get_recordings", (), {"callid": CALLID},
     ("queryRecordFileByCallId", "GET", f"{RP}/queryrecordfilebycallid", {"callId": CALLID}, None)),
    ("get_recordings", (), {}, ("queryRecordFile", "GET", f"{RP}/recordfile", {}, None)),
    ("play_recording", (NAME,), {}, ("beginPlay", "PUT", f"{RP}/play", {}, {"voicepath": NAME})),
    ("play_recording", (NAME, timedelta(seconds=30)), {},
     ("beginPlay", "PUT", f"{RP}/play", {}, {"voicepath": NAME, "startpostion": 30})),
    ("play_recording", (NAME,), {"call_centre": 2},
     ("beginNetPlay", "POST", f"{RP}/netplay", {}, {"fileName": NAME, "ccId": 2})),
    ("play_recording", (NAME, timedelta(seconds=5)), {"call_centre": 2},
     ("beginNetPlay", "POST", f"{RP}/netplay", {}, {"fileName": NAME, "ccId": 2, "position": 5})),
    ("play_recording", (NAME,), {"times": 3},
     ("beginPlay", "PUT", f"{RP}/play", {}, {"voicepath": NAME, "times": 3})),
    ("play_recording", (NAME,), {"call_centre": 2, "times": 0},
     ("beginNetPlay", "POST", f"{RP}/netplay", {}, {"fileName": NAME, "ccId": 2, "playTime": 0})),
    ("pause_playing", (), {}, ("pausePlay", "POST", f"{RP}/pauseplay", {}, None)),
    ("resume_playing", (), {}, ("resumePlay", "POST", f"{RP}/resumeplay", {}, None)),
    ("stop_playing", (), {}, ("stopPlay", "DELETE", f"{RP}/stopplay", {}, None)),
    ("fast_forward_playing", (timedelta(seconds=10),), {}, ("foreFastPlay", "POST", f"{RP}/forefast/10", {}, None)),
    ("rewind_playing", (timedelta(minutes=1),), {}, ("backFastPlay", "POST", f"{RP}/backfast/60", {}, None)),
    ("move_playing_to", (timedelta(seconds=45),), {},
     ("playRelocation", "POST", f"{RP}/playrelocation", {}, {"seekseconds": 45, "seekposition": 0})),
    ("move_playing_to", (timedelta(seconds=10), "back"), {},
     ("playRelocation", "POST", f"{RP}/playrelocation", {}, {"seekseconds": 10, "seekposition": 1,
                                                              "seekdirection": 1})),
    ("move_playing_to", (timedelta(seconds=5), "end"), {},
     ("playRelocation", "POST", f"{RP}/playrelocation", {}, {"seekseconds": 5, "seekposition": 2})),
    ("move_playing_to", (timedelta(seconds=5), "forward"), {},
     ("playRelocation", "POST", f"{RP}/playrelocation", {}, {"seekseconds": 5, "seekposition": 1,
                                                             "seekdirection": 0})),
]
DOWNLOADS: list[tuple[str, tuple[Any, ...], dict[str, Any], tuple[str, str, str, dict[str, str], Any]]] = [
    ("download_recording", (NAME,), {}, ("downloadRecordFile", "GET", "/recordfile/101", {"recordId": NAME}, None)),
    ("download_recording", (), {"callid": CALLID},
     ("recordfiledownloadEx", "GET", "/recordfile/101/recordfiledownloadEx", {"callId": CALLID}, None)),
    ("download_video_recording", ("Y:/1/0/x.mp4",), {},
     ("downloadVideoFileEx", "GET", "/recordfile/101/videofiledownloadEx", {"recordId": "Y:/1/0/x.mp4"}, None)),
    ("download_video_recording", (), {"conference_id": "7a008307", "quality": "standard"},
     ("downloadVideoFile", "GET", "/recordfile/101/videofiledownload",
      {"conferenceId": "7a008307", "fileType": "1"}, None)),
]


def _serves_files(monkeypatch: pytest.MonkeyPatch, library: CCGatewayLibrary, recorder: Recorder,
                  content_type: str = "application/octet-stream;charset=utf-8") -> None:
    """The recorder answers every request with the WAV file the simulator serves."""
    def send(session: object, interface: Interface, agent_id: str, path: str, **request: Any) -> Exchange:
        recorder.send(session, interface, agent_id, path, **request)
        return Exchange(interface.method, "https://gw.example:8043" + path, 200, "OK", {}, None,
                        {"Content-Type": content_type}, "", 1.0, content=tone_wav())

    monkeypatch.setattr(library.ctx.requests, "send", send)


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), CASES,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(CASES)])
def test_a_recording_keyword_sends_its_documented_request(
        lib: tuple[CCGatewayLibrary, Recorder], keyword: str, args: tuple[Any, ...], kwargs: dict[str, Any],
        expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    assert_sends(library, recorder, keyword, args, kwargs, expected)


@pytest.mark.parametrize(("keyword", "args", "kwargs", "expected"), DOWNLOADS,
                         ids=[f"{case[0]}-{index}" for index, case in enumerate(DOWNLOADS)])
def test_a_download_sends_its_documented_request_and_saves_a_wav_file(
        lib: tuple[CCGatewayLibrary, Recorder], monkeypatch: pytest.MonkeyPatch, tmp_path: Path, keyword: str,
        args: tuple[Any, ...], kwargs: dict[str, Any], expected: tuple[str, str, str, dict[str, str], Any]) -> None:
    library, recorder = lib
    monkeypatch.chdir(tmp_path)  # outside a Robot run the file goes to the working directory
    _serves_files(monkeypatch, library, recorder)
    assert_sends(library, recorder, keyword, args, kwargs, expected)
    [saved] = list(tmp_path.iterdir())
    with wave.open(str(saved)) as audio:
        assert audio.getnframes() == audio.getframerate()


def test_download_recording_returns_the_saved_files_path(lib: tuple[CCGatewayLibrary, Recorder],
                                                         monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    library, recorder = lib
    monkeypatch.chdir(tmp_path)
    _serves_files(monkeypatch, library, recorder)
    assert library.download_recording("y:\\1\\0\\20250101\\101\\..\\a b.wav") == str(tmp_path / "a_b.wav")
    assert library.download_recording(callid=CALLID) == str(tmp_path / f"call-{CALLID}.wav")


def test_a_download_named_like_an_earlier_one_is_saved_beside_it(lib: tuple[CCGatewayLibrary, Recorder],
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  tmp_path: Path) -> None:
    """Two agents' recordings named alike in their own folders are two files, not one overwritten."""
    library, recorder = lib
    monkeypatch.chdir(tmp_path)
    _serves_files(monkeypatch, library, recorder)
    first = library.download_recording("Y:/1/0/20250101/101/call.wav")
    second = library.download_recording("Y:/1/0/20250101/102/call.wav")
    assert (first, second) == (str(tmp_path / "call.wav"), str(tmp_path / "call-2.wav"))


def test_an_expected_refusal_saves_nothing(lib: tuple[CCGatewayLibrary, Recorder], monkeypatch: pytest.MonkeyPatch,
                                           tmp_path: Path) -> None:
    library, recorder = lib
    monkeypatch.chdir(tmp_path)
    recorder.retcode = "104-005"
    assert library.download_recording(NAME, expected_retcode="104-005") is None
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(RetcodeError, match=r"downloadRecordFile failed for agent 101: retcode 104-005 \(file does "
                                           r"not exist\), expected 0"):
        library.download_recording(NAME)


def test_a_file_where_a_refusal_was_expected_fails(lib: tuple[CCGatewayLibrary, Recorder],
                                                    monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    library, recorder = lib
    monkeypatch.chdir(tmp_path)
    _serves_files(monkeypatch, library, recorder)
    with pytest.raises(RetcodeError, match="downloadRecordFile succeeded unexpectedly for agent 101: the file came "
                                           r"\(\d+ bytes\), expected retcode 104-005"):
        library.download_recording(NAME, expected_retcode="104-005")
    assert list(tmp_path.iterdir()) == []


def test_success_without_a_file_fails(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    with pytest.raises(ResponseSchemaError, match=r"downloadRecordFile for agent 101 answered success without the "
                                                  r"file .*expected application/octet-stream;charset=utf-8"):
        library.download_recording(NAME)


def test_every_documented_interface_of_the_chapters_is_pinned_here(lib: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, _ = lib
    documented = documented_interfaces(library, "recordplay", "recordfile")
    assert len(documented) == 16
    assert documented <= pinned(CASES, DOWNLOADS)


@pytest.mark.parametrize(("keyword", "args", "kwargs", "message"), [
    ("fast_forward_playing", (timedelta(seconds=1.5),), {}, "foreFastPlay request is invalid, not sent: path.time: "
                                                            "the gateway takes whole seconds, not negative, got 1.5"),
    ("rewind_playing", (timedelta(seconds=-3),), {}, "backFastPlay request is invalid, not sent: path.time"),
    ("play_recording", ("",), {}, "beginPlay request is invalid, not sent: body.voicepath"),
    ("play_recording", ("x" * 101,), {}, "beginPlay request is invalid, not sent: body.voicepath"),
    ("play_recording", (NAME, timedelta(seconds=0.5)), {}, "beginPlay request is invalid, not sent: start"),
    ("move_playing_to", (timedelta(seconds=-1),), {}, "playRelocation request is invalid, not sent: position"),
    ("play_recording", (NAME,), {"call_centre": 2, "times": 2}, "beginNetPlay request is invalid, not sent: times"),
    ("move_playing_to", (timedelta(seconds=1), "middle"), {}, "origin 'middle' is not a position of the file"),
    ("start_recording", ("y" * 101,), {}, "beginRecord request is invalid, not sent: body.fileName"),
    ("get_recordings", (), {"callid": " "}, "queryRecordFileByCallId request is invalid, not sent: query.callId"),
    ("download_recording", (), {}, "Download Recording needs either record_id"),
    ("download_recording", (NAME,), {"callid": CALLID}, "Download Recording needs either record_id"),
    ("download_recording", ("",), {}, "downloadRecordFile request is invalid, not sent: query.recordId"),
    ("download_video_recording", (), {}, "Download Video Recording needs record_id"),
    ("download_video_recording", (), {"conference_id": "c", "quality": "4k"}, "quality '4k' is not a video quality"),
])
def test_bad_arguments_are_refused_before_sending(lib: tuple[CCGatewayLibrary, Recorder], keyword: str,
                                                  args: tuple[Any, ...], kwargs: dict[str, Any],
                                                  message: str) -> None:
    library, recorder = lib
    with pytest.raises(RequestSchemaError, match=message.replace(".", r"\.").replace("(", r"\(")):
        getattr(library, keyword)(*args, **kwargs)
    assert recorder.sent == []
