from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from assertionengine import AssertionOperator
from robot.api import logger
from robot.api.deco import keyword
from robot.libraries.BuiltIn import BuiltIn, RobotNotRunningError

from ..catalogue.gateway import SUCCESS
from ..errors import RequestSchemaError
from .base import LibraryComponent, Retcodes, as_list, succeeded

VOICE = 5  # beginRecord's mediaType: the only one the gateway accepts
# playRelocation's seekposition and seekdirection per origin: from the start or the end of the file, or forward or
# back from the current position
ORIGINS: dict[str, tuple[int, int | None]] = {"start": (0, None), "end": (2, None), "forward": (1, 0), "back": (1, 1)}
Origin = Literal["start", "end", "forward", "back"]
# downloadVideoFile's fileType per quality
VIDEO_QUALITIES: dict[str, str] = {"high": "0", "standard": "1", "auxiliary": "2"}
VideoQuality = Literal["high", "standard", "auxiliary"]
UNSAFE_IN_FILE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _free_name(target: Path) -> Path:
    """``target``, or ``name-2.wav``, ``name-3.wav``, ... when a file of that name is there already: recordings of
    two agents are often named alike in different folders (``.../101/call.wav``, ``.../102/call.wav``)."""
    candidate, number = target, 1
    while candidate.exists():
        number += 1
        candidate = target.with_name(f"{target.stem}-{number}{target.suffix}")
    return candidate


def whole_seconds(interface: str, field: str, duration: timedelta) -> int:
    """``duration`` in whole seconds, or the refusal naming the field: the gateway takes whole seconds."""
    seconds = duration.total_seconds()
    if seconds != int(seconds) or seconds < 0:
        raise RequestSchemaError(f"{interface} request is invalid, not sent: {field}: the gateway takes whole "
                                 f"seconds, not negative, got {seconds:g}")
    return int(seconds)


class RecordingKeywords(LibraryComponent):
    """Recording an agent's call, playing recordings to the agent, and recording files (the ``recordplay`` and
    ``recordfile`` chapters).

    An agent in a call starts recording it with `Start Recording` and gets ``AgentMediaEvent_Record``, whose
    ``fileName`` names the recording; `Stop Recording` (or the end of the call) brings
    ``AgentMediaEvent_StopRecordDone``. `Get Recordings` lists a call's recordings and `Download Recording`
    saves one into the output directory. `Play Recording` plays a recording to the agent: out of a call the
    platform calls the agent's phone first (``AgentState_Busy``, ``AgentOther_PhoneAlerting``,
    ``AgentOther_PhoneOffhook``); ``AgentMediaEvent_Play_Succ`` and ``AgentMediaEvent_Play`` follow, and
    ``AgentMediaEvent_StopPlayDone`` ends it (``cause`` 0 at the end of the file, 1 stopped, 2 failed).
    """

    # -- recording ------------------------------------------------------------------------------------------
    @keyword(tags=["recording", "beginRecord"])
    def start_recording(self, file_name: str | None = None, agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> None:
        """Starts recording the agent's call (``beginRecord``, voice only). Without ``file_name`` (a path of up to
        100 characters) the gateway names the recording; ``AgentMediaEvent_Record`` tells the name in
        ``fileName`` (the ``record_id`` of `Download Recording`).

        Not while the agent listens to, barges in on or whispers to another agent's call.

        | `Start Recording` |
        | ${started} = | `Wait For Event` | AgentMediaEvent_Record |
        | `Start Recording` | Y:/1/0/20250101/101/complaint.wav |
        """
        body: dict[str, Any] = {"mediaType": VOICE}
        if file_name is not None:
            body["fileName"] = file_name
        self._agent_call(agent, "beginRecord", expected_retcode, body=body)

    @keyword(tags=["recording", "pauseRecord"])
    def pause_recording(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Pauses the agent's recording (``pauseRecord``, a route without a vendor page, no event known); what is
        said meanwhile is not recorded.

        | `Pause Recording` |
        """
        self._agent_call(agent, "pauseRecord", expected_retcode)

    @keyword(tags=["recording", "resumeRecord"])
    def resume_recording(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Resumes the agent's paused recording (``resumeRecord``, a route without a vendor page, no event known).

        | `Resume Recording` |
        """
        self._agent_call(agent, "resumeRecord", expected_retcode)

    @keyword(tags=["recording", "stopRecord"])
    def stop_recording(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops the agent's recording (``stopRecord``); the agent gets ``AgentMediaEvent_StopRecordDone`` with
        ``beginTime`` and ``endTime``.

        | `Stop Recording` |
        | `Wait For Event` | AgentMediaEvent_StopRecordDone |
        """
        self._agent_call(agent, "stopRecord", expected_retcode)

    @keyword(tags=["recording", "startRecordScreen"])
    def start_screen_recording(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Starts recording the agent's screen (``startRecordScreen``, private deployments); the outcome comes as
        ``AgentMediaEvent_StartRecordScreen_Succ`` or ``AgentMediaEvent_StartRecordScreen_Fail``.

        | `Start Screen Recording` |
        | `Wait For Event` | AgentMediaEvent_StartRecordScreen_Succ |
        """
        self._agent_call(agent, "startRecordScreen", expected_retcode)

    @keyword(tags=["recording", "stopRecordScreen"])
    def stop_screen_recording(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops recording the agent's screen (``stopRecordScreen``); the outcome comes as
        ``AgentMediaEvent_StopRecordScreen_Succ`` or ``AgentMediaEvent_StopRecordScreen_Fail``.

        | `Stop Screen Recording` |
        """
        self._agent_call(agent, "stopRecordScreen", expected_retcode)

    # -- recording files ------------------------------------------------------------------------------------
    @keyword(tags=["recording", "queryRecordFileByCallId", "queryRecordFile"])
    def get_recordings(self, assertion_operator: AssertionOperator | None = None, assertion_expected: Any = None,
                       message: str | None = None, callid: str | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> list[dict[str, Any]] | None:
        """Returns the recordings of call ``callid`` (``queryRecordFileByCallId``), or without it the agent's own
        (``queryRecordFile``). Both are routes without a vendor page: the shape is the simulator's, a list of
        dictionaries with ``fileName`` (the ``record_id`` of `Download Recording`), ``recordID``, ``callId``,
        ``workNo``, ``caller``, ``called``, ``beginTime`` and ``endTime`` (epoch milliseconds, None while
        recording), ``duration`` (seconds recorded, pauses left out) and ``state`` (``recording``, ``paused`` or
        ``stopped``).

        A refusal given as ``expected_retcode`` returns None. An assertion (see `Assertions in getters`) applies
        to the list.

        | ${recordings} = | `Get Recordings` | callid=${callid} |
        | `Get Recordings` | validate | [r['state'] for r in value] == ['stopped'] | callid=${callid} |
        """
        interface = "queryRecordFile" if callid is None else "queryRecordFileByCallId"
        query = None if callid is None else {"callId": callid}

        def recordings() -> list[dict[str, Any]] | None:
            reply = self._agent_call(agent, interface, expected_retcode, query=query)
            if not succeeded(reply):
                return None
            listed = as_list(reply.get("result"))
            logger.info(f"Recordings: {', '.join(str(item.get('fileName')) for item in listed) or 'none'}.")
            return listed

        return self._asserted("Get Recordings", recordings, assertion_operator, assertion_expected, message,
                              name="recordings")

    @keyword(tags=["recording", "downloadRecordFile", "recordfiledownloadEx"])
    def download_recording(self, record_id: str | None = None, callid: str | None = None,
                           agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Downloads a recording and saves it into Robot's output directory (the working directory outside a
        run); returns the file's path. ``record_id`` is the recording's path, the ``fileName`` of
        ``AgentMediaEvent_Record`` (``downloadRecordFile``); ``callid`` instead downloads the call's recording
        from a VoiceCyber recording server (``recordfiledownloadEx``). The file holds personal data. It is named
        after the last part of the path; when a file of that name is there already (``.../101/call.wav`` and
        ``.../102/call.wav``) the next one gets ``-2``, ``-3``, ... before its extension.

        A refusal given as ``expected_retcode`` (``104-005``: no such file) saves nothing and returns None.

        | ${started} = | `Wait For Event` | AgentMediaEvent_Record |
        | ${file} = | `Download Recording` | ${started}[content][fileName] |
        | `Download Recording` | Y:/1/0/20250101/101/none.wav | expected_retcode=104-005 |
        """
        if (record_id is None) == (callid is None):
            raise RequestSchemaError("Download Recording needs either record_id (the recording's path) or callid, "
                                     "not both or neither.")
        if callid is not None:
            return self._save("recordfiledownloadEx", {"callId": callid}, f"call-{callid}.wav", agent,
                              expected_retcode)
        return self._save("downloadRecordFile", {"recordId": record_id}, str(record_id), agent, expected_retcode)

    @keyword(tags=["recording", "downloadVideoFile", "downloadVideoFileEx"])
    def download_video_recording(self, record_id: str | None = None, conference_id: str | None = None,
                                 quality: VideoQuality = "high", agent: str | None = None,
                                 expected_retcode: Retcodes = SUCCESS) -> str | None:
        """Downloads a video call recording into Robot's output directory and returns the file's path:
        ``record_id`` is the video file's path (``downloadVideoFileEx``); ``conference_id`` instead takes the
        conference's file in ``quality`` ``high``, ``standard`` or ``auxiliary`` (the auxiliary stream), with
        ``record_id`` the video recording's ID when given (``downloadVideoFile``, which the 2025-11 reference
        marks discarded).

        A refusal given as ``expected_retcode`` saves nothing and returns None; the simulator records no video.

        | ${file} = | `Download Video Recording` | Y:/1/0/20250101/101/1642329.mp4 |
        | `Download Video Recording` | conference_id=7a008307-34ad | quality=standard | expected_retcode=104-005 |
        """
        if conference_id is None:
            if record_id is None:
                raise RequestSchemaError("Download Video Recording needs record_id (the video file's path) or "
                                         "conference_id.")
            return self._save("downloadVideoFileEx", {"recordId": record_id}, record_id, agent, expected_retcode)
        if quality not in VIDEO_QUALITIES:
            raise RequestSchemaError(f"downloadVideoFile request is invalid, not sent: quality '{quality}' is not a "
                                     f"video quality; choose {', '.join(VIDEO_QUALITIES)}")
        query = {"conferenceId": conference_id, "fileType": VIDEO_QUALITIES[quality], "recordId": record_id}
        return self._save("downloadVideoFile", query, f"{record_id or conference_id}.mp4", agent, expected_retcode)

    def _save(self, interface: str, query: dict[str, Any], name: str, agent: str | None,
              expected_retcode: Retcodes) -> str | None:
        """Downloads with ``interface`` and saves the file into the output directory under ``name``'s last part;
        None for a refusal the caller expected."""
        handle = self.ctx.agent(agent)
        got = self.ctx.requests.fetch_file(handle.session, interface, handle.agent_id, query=query,
                                           expected_retcode=expected_retcode)
        if not isinstance(got, bytes):
            return None
        target = _free_name(self._output_dir() / (UNSAFE_IN_FILE_NAME.sub("_", re.split(r"[/\\]", name)[-1])
                                                  .strip("._") or "recording"))
        target.write_bytes(got)
        logger.info(f"Saved the file ({len(got)} bytes) to {target}.")
        return str(target)

    @staticmethod
    def _output_dir() -> Path:
        try:
            folder = BuiltIn().get_variable_value("${OUTPUT DIR}")
        except RobotNotRunningError:
            folder = None
        return Path(folder) if folder else Path.cwd()

    # -- playback -------------------------------------------------------------------------------------------
    @keyword(tags=["playback", "beginPlay", "beginNetPlay"])
    def play_recording(self, path: str, start: timedelta | None = None, times: int | None = None,
                       call_centre: int | None = None, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Plays the file ``path`` (up to 100 characters) to the agent (``beginPlay``), from ``start`` into the
        file (whole seconds), ``times`` times (default once). ``call_centre`` plays a file of that call centre of
        a network of call centres (``beginNetPlay``; not in a three-party call), once or, with ``times=0``, over
        and over until `Stop Playing`.

        Out of a call the agent's phone is called first: ``AgentState_Busy``, ``AgentOther_PhoneAlerting``,
        ``AgentOther_PhoneOffhook``. Then ``AgentMediaEvent_Play_Succ`` and ``AgentMediaEvent_Play``; a file that
        cannot be played brings ``AgentMediaEvent_Play_Fail`` and ``AgentMediaEvent_StopPlayDone`` (``cause`` 2).
        The end of the file brings ``AgentMediaEvent_StopPlayDone`` with ``cause`` 0.

        | `Play Recording` | ${started}[content][fileName] |
        | `Play Recording` | Y:/1/0/20250101/101/complaint.wav | start=30s |
        | `Play Recording` | Y:/1/0/20250101/101/complaint.wav | times=2 |
        | `Play Recording` | Y:/1/0/20250101/101/complaint.wav | call_centre=2 | times=0 |
        """
        interface = "beginPlay" if call_centre is None else "beginNetPlay"
        offset = None if start is None else whole_seconds(interface, "start", start)
        if call_centre is None:
            body: dict[str, Any] = {"voicepath": path}
            if offset is not None:
                body["startpostion"] = offset  # the vendor's spelling
            if times is not None:
                body["times"] = times
        else:
            body = {"fileName": path, "ccId": call_centre}
            if offset is not None:
                body["position"] = offset
            if times is not None:
                if times not in (0, 1):
                    raise RequestSchemaError(f"beginNetPlay request is invalid, not sent: times: a network call "
                                             f"centre's file plays once (1) or over and over (0), got {times}")
                body["playTime"] = times
        self._agent_call(agent, interface, expected_retcode, body=body)

    @keyword(tags=["playback", "pausePlay"])
    def pause_playing(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Pauses the playback (``pausePlay``); the agent gets ``AgentMediaEvent_PausePlayDone``.

        | `Pause Playing` |
        """
        self._agent_call(agent, "pausePlay", expected_retcode)

    @keyword(tags=["playback", "resumePlay"])
    def resume_playing(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Resumes the paused playback (``resumePlay``); the agent gets ``AgentMediaEvent_ResumePlayDone``.

        | `Resume Playing` |
        """
        self._agent_call(agent, "resumePlay", expected_retcode)

    @keyword(tags=["playback", "stopPlay"])
    def stop_playing(self, agent: str | None = None, expected_retcode: Retcodes = SUCCESS) -> None:
        """Stops the playback (``stopPlay``): ``AgentMediaEvent_StopPlayDone`` with ``cause`` 1, after
        ``AgentOther_PhoneRelease`` and ``AgentState_Ready`` when the phone was called for it.

        | `Stop Playing` |
        | `Wait For Event` | AgentMediaEvent_StopPlayDone | cause=1 |
        """
        self._agent_call(agent, "stopPlay", expected_retcode)

    @keyword(tags=["playback", "foreFastPlay"])
    def fast_forward_playing(self, duration: timedelta, agent: str | None = None,
                             expected_retcode: Retcodes = SUCCESS) -> None:
        """Skips ``duration`` (whole seconds) forward in the playback (``foreFastPlay``); the agent gets
        ``AgentMediaEvent_JumpPlayDone``.

        | `Fast Forward Playing` | 10s |
        """
        self._agent_call(agent, "foreFastPlay", expected_retcode,
                         path={"time": whole_seconds("foreFastPlay", "path.time", duration)})

    @keyword(tags=["playback", "backFastPlay"])
    def rewind_playing(self, duration: timedelta, agent: str | None = None,
                       expected_retcode: Retcodes = SUCCESS) -> None:
        """Skips ``duration`` (whole seconds) back in the playback (``backFastPlay``); the agent gets
        ``AgentMediaEvent_JumpPlayDone``.

        | `Rewind Playing` | 1 minute |
        """
        self._agent_call(agent, "backFastPlay", expected_retcode,
                         path={"time": whole_seconds("backFastPlay", "path.time", duration)})

    @keyword(tags=["playback", "playRelocation"])
    def move_playing_to(self, position: timedelta, origin: Origin = "start", agent: str | None = None,
                        expected_retcode: Retcodes = SUCCESS) -> None:
        """Moves the playback to ``position`` (whole seconds) counted from ``origin``: the ``start`` or the ``end``
        of the file, or ``forward`` or ``back`` from where it is (``playRelocation``, 2025 editions; no event).

        | `Move Playing To` | 45s |
        | `Move Playing To` | 10s | origin=back |
        """
        if origin not in ORIGINS:
            raise RequestSchemaError(f"playRelocation request is invalid, not sent: origin '{origin}' is not a "
                                     f"position of the file; choose {', '.join(ORIGINS)}")
        reference, direction = ORIGINS[origin]
        body: dict[str, Any] = {"seekseconds": whole_seconds("playRelocation", "position", position),
                                "seekposition": reference}
        if direction is not None:
            body["seekdirection"] = direction
        self._agent_call(agent, "playRelocation", expected_retcode, body=body)
