*** Settings ***
Documentation     Agent 101 records its call with a customer, finds the recording and downloads it as an audio file
...               that Python's wave module opens; plays a recording to itself out of a call and in one, pauses,
...               skips and stops the playback, and lets one run to the end of the file; records its screen.
...               Every event is asserted; the refusals are pinned with their retcodes.

Library           OperatingSystem
Resource          ../resources/common.resource

Suite Setup       Open Gateway And Record A Call
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
Test Teardown     Sign Out All Agents

Test Tags         recording    simulator-only


*** Variables ***
${CALLER}          88880061
${AGENT}           101
${SUPERVISOR}      900
${NO_SUCH_CALL}    1455885056-1095
${NO_SUCH_FILE}    Y:/1/0/20250101/101/none.wav
# The recording the suite setup makes and the playback tests play.
${RECORDING}       Y:/1/0/20250101/101/suite.wav
# Seconds of the call recorded in the suite setup: long enough to pause its playback before it ends.
${RECORDED}        3s


*** Test Cases ***
A Recorded Call From Start To Download
    [Documentation]    beginRecord, pauseRecord, resumeRecord, stopRecord, the call's recordings and both downloads:
    ...    each downloaded file is a WAV file that Python's wave module opens.
    ${customer}=    Customer Talks To Agent
    Start Recording
    ${started}=    Wait For Event    AgentMediaEvent_Record    callId=${customer}    caller=${CALLER}
    VAR    ${name}=    ${started}[content][fileName]
    Get Recordings    validate    [r['state'] for r in value] == ['recording']    callid=${customer}
    Pause Recording
    Get Recordings    validate    value[0]['state'] == 'paused' and value[0]['endTime'] is None
    ...    callid=${customer}
    Resume Recording
    Stop Recording
    ${stopped}=    Wait For Event    AgentMediaEvent_StopRecordDone    callId=${customer}
    Should Be Equal    ${stopped}[content][taskId]    ${started}[content][taskId]
    ${recordings}=    Get Recordings    callid=${customer}
    Should Be Equal    ${recordings}[0][fileName]    ${name}
    Should Be Equal    ${recordings}[0][endTime]    ${stopped}[content][endTime]
    Both Downloads Should Be Wav Files    ${name}    ${customer}

The End Of The Call Ends Its Recording
    [Documentation]    A customer who hangs up stops the recording: AgentMediaEvent_StopRecordDone before the release.
    ${customer}=    Customer Talks To Agent
    Start Recording    Y:/1/0/20250101/101/complaint.wav
    Wait For Event    AgentMediaEvent_Record    fileName=Y:/1/0/20250101/101/complaint.wav
    Simulate Customer Hang Up    ${customer}
    Wait For Events In Order    AgentMediaEvent_StopRecordDone    AgentEvent_Call_Release    AgentState_Ready
    Get Recordings    validate    value[-1]['state'] == 'stopped'

Playing A Recording Out Of A Call
    [Documentation]    beginPlay calls the agent's phone; pausePlay, foreFastPlay, backFastPlay and playRelocation
    ...    while paused, resumePlay, stopPlay.
    Play Recording    ${RECORDING}
    Wait For Events In Order    AgentState_Busy    AgentOther_PhoneAlerting    AgentOther_PhoneOffhook
    ...    AgentMediaEvent_Play_Succ    AgentMediaEvent_Play
    Pause Playing
    Wait For Event    AgentMediaEvent_PausePlayDone
    Fast Forward Playing    2s
    Rewind Playing    1 minute
    Wait For Event    AgentMediaEvent_JumpPlayDone    count=2
    Move Playing To    1s
    Move Playing To    1s    origin=back
    Move Playing To    ${RECORDED}    origin=end
    Get Agent Status    ==    talking
    Resume Playing
    Wait For Event    AgentMediaEvent_ResumePlayDone
    Stop Playing
    Wait For Events In Order    AgentOther_PhoneRelease    AgentState_Ready
    Wait For Event    AgentMediaEvent_StopPlayDone    cause=1

A Playback Runs To The End Of The File
    [Documentation]    The end of the file stops the playback: the phone is released and the cause is 0.
    Play Recording    ${RECORDING}    start=2s
    Wait For Event    AgentMediaEvent_Play
    Wait For Events In Order    AgentOther_PhoneRelease    AgentState_Ready    timeout=10s
    Wait For Event    AgentMediaEvent_StopPlayDone    cause=0

Playing A Recording In A Call
    [Documentation]    In a call only the playback's own events come; beginNetPlay plays as beginPlay does, and over
    ...    and over with playTime 0 (times=0), until stopped.
    Customer Talks To Agent
    Play Recording    ${RECORDING}    times=2
    Wait For Events In Order    AgentMediaEvent_Play_Succ    AgentMediaEvent_Play
    Fast Forward Playing    1 hour
    Wait For Event    AgentMediaEvent_JumpPlayDone
    Wait For Event    AgentMediaEvent_StopPlayDone    cause=0
    Play Recording    ${RECORDING}    call_centre=1    times=0
    Wait For Events In Order    AgentMediaEvent_Play_Succ    AgentMediaEvent_Play
    Fast Forward Playing    1 hour
    Wait For Event    AgentMediaEvent_JumpPlayDone
    Stop Playing
    Wait For Event    AgentMediaEvent_StopPlayDone    cause=1
    Get Agent Status    ==    talking

A File That Cannot Be Played
    [Documentation]    A path the simulator has not recorded fails to play, as a missing file does.
    Play Recording    Y:/voice/welcome.wav
    Wait For Events In Order    AgentState_Busy    AgentOther_PhoneOffhook    AgentOther_PhoneRelease
    ...    AgentState_Ready    AgentMediaEvent_Play_Fail
    Wait For Event    AgentMediaEvent_StopPlayDone    cause=2

Recording The Agent's Screen
    [Documentation]    startRecordScreen and stopRecordScreen answer success; the outcome is the event.
    Start Screen Recording
    Wait For Event    AgentMediaEvent_StartRecordScreen_Succ
    Start Screen Recording
    Wait For Event    AgentMediaEvent_StartRecordScreen_Fail
    Stop Screen Recording
    Wait For Event    AgentMediaEvent_StopRecordScreen_Succ
    Stop Screen Recording
    Wait For Event    AgentMediaEvent_StopRecordScreen_Fail

Refusals Without A Recording Or A Playback
    [Documentation]    Each refusal with its code: nothing to record, pause, resume or stop; no playback to pause,
    ...    resume, skip, move or stop; files the simulator does not have.
    Start Recording    expected_retcode=500-008
    Pause Recording    expected_retcode=500-004
    Resume Recording    expected_retcode=500-006
    Stop Recording    expected_retcode=100-007
    Pause Playing    expected_retcode=500-003
    Resume Playing    expected_retcode=500-005
    Fast Forward Playing    1s    expected_retcode=500-002
    Rewind Playing    1s    expected_retcode=500-001
    Move Playing To    0s    expected_retcode=500-012
    Stop Playing    expected_retcode=500-009
    Download Recording    1524488.V3    expected_retcode=104-003
    Download Recording    ${NO_SUCH_FILE}    expected_retcode=104-005
    Download Recording    callid=${NO_SUCH_CALL}    expected_retcode=104-005
    Download Video Recording    Y:/1/0/20250101/101/1642329.mp4    expected_retcode=104-005
    Download Video Recording    conference_id=7a008307    quality=standard    expected_retcode=104-005
    Get Recordings    ==    ${{[]}}    callid=${NO_SUCH_CALL}

Refusals During A Playback
    [Documentation]    A second playback, resuming what is not paused, a position outside the file.
    Play Recording    ${RECORDING}
    Wait For Event    AgentMediaEvent_Play
    Play Recording    ${RECORDING}    expected_retcode=500-007
    Play Recording    ${RECORDING}    call_centre=1    expected_retcode=500-007
    Resume Playing    expected_retcode=500-005
    Pause Playing
    Move Playing To    1 hour    expected_retcode=500-013
    Stop Playing

Recording Is Refused While Recording Or Inspecting
    [Documentation]    A second recording of the same call, and an inspector recording the call it listens to.
    Customer Talks To Agent
    Start Recording
    Wait For Event    AgentMediaEvent_Record
    Start Recording    expected_retcode=500-008
    Pause Recording
    Pause Recording    expected_retcode=500-004
    Sign In Agent    ${SUPERVISOR}    ${AGENT_PASSWORD}    70900    alias=lead
    Listen To Agent    ${AGENT}    agent=lead
    Start Recording    agent=lead    expected_retcode=500-008
    Play Recording    ${RECORDING}    agent=lead    expected_retcode=500-007

Stopping A Recording That Does Not Run Fails
    [Documentation]    FAIL GLOB: stopRecord failed for agent 101: retcode 100-007 (*), expected 0 (success). The gateway says: agent 101 is not recording
    Stop Recording

A Recording Still Running Cannot Be Downloaded
    [Documentation]    FAIL GLOB: downloadRecordFile failed for agent 101: retcode 104-005 (file does not exist), expected 0 (success). The gateway says: recording Y:/1/0/* is not a finished recording *
    Customer Talks To Agent
    Start Recording
    ${started}=    Wait For Event    AgentMediaEvent_Record
    Download Recording    ${started}[content][fileName]

Routes Without A Vendor Page
    [Documentation]    The listed-only routes of the chapter answer success; the record-file queries list recordings.
    FOR    ${route}    IN    queryRecordFileURL    queryRecordZipFileURL    queryBatchRecordZipFileURL
    ...    queryVoiceRecordScore
        ${reply}=    Send Raw Request    ${route}
        Should Be Equal    ${reply}[retcode]    0
    END
    ${reply}=    Send Raw Request    queryRecordFileFromRecordID    query=${{{'recordId': $RECORDING}}}
    Should Be Equal    ${reply}[result][0][fileName]    ${RECORDING}
    ${reply}=    Send Raw Request    querySelfRecordFile
    Should Be True    len($reply['result']) >= 1
    ${customer}=    Customer Talks To Agent
    ${reply}=    Send Raw Request    beginRecordWithoutFilename
    Should Be Equal    ${reply}[retcode]    0
    Wait For Event    AgentMediaEvent_Record    callId=${customer}


*** Keywords ***
Open Gateway And Record A Call
    [Documentation]    Starts the gateway and records ${RECORDED} of a call of agent 101 as ${RECORDING}, which
    ...    the suite's playback tests play.
    Open Gateway Under Test
    Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
    Customer Talks To Agent
    Start Recording    ${RECORDING}
    Wait For Event    AgentMediaEvent_Record    fileName=${RECORDING}
    Sleep    ${RECORDED}
    Stop Recording
    Wait For Event    AgentMediaEvent_StopRecordDone
    Sign Out All Agents

Customer Talks To Agent
    [Documentation]    The customer calls agent 101, who answers; returns the customer's call ID.
    ${customer}=    Simulate Inbound Call    caller=${CALLER}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=first
    Answer Call    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first
    RETURN    ${customer}

Both Downloads Should Be Wav Files
    [Documentation]    The recording ``name`` downloaded by its name and by its call's ID are WAV files.
    [Arguments]    ${name}    ${callid}
    ${file}=    Download Recording    ${name}
    Recording Should Be A Wav File    ${file}
    ${by_call}=    Download Recording    callid=${callid}
    Recording Should Be A Wav File    ${by_call}

Recording Should Be A Wav File
    [Documentation]    The file is in the output directory and Python's wave module reads one second of audio from it.
    [Arguments]    ${file}
    File Should Exist    ${file}
    Should Start With    ${file}    ${OUTPUT DIR}
    ${seconds}=    Evaluate    (lambda w: w.getnframes() / w.getframerate())(wave.open($file))    modules=wave
    Should Be Equal As Numbers    ${seconds}    1
