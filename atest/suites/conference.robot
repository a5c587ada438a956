*** Settings ***
Documentation     Agent-hosted conferences (the agentconf chapter): agent 101 chairs, agents 102 and 103 and a phone
...               number are invited; the chair holds, mutes, plays announcements to and removes them, hands the
...               chair over, extends the conference and ends it. Every party's events are asserted; the refusals
...               are pinned with their retcodes. time_scale=0.01 makes a conference minute last 0.6 s.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test    time_scale=0.01
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Three Agents
Test Teardown     Sign Out All Agents

Test Tags         conference    simulator-only


*** Variables ***
${CHAIR}         101
${SECOND}        102
${THIRD}         103
${SUPERVISOR}    900
${NUMBER}        88880061
${MUSIC}         y:/conf/120/1136287.V3
${CHANGED}       AgentConf_ParticipantChanged


*** Test Cases ***
A Chair Invites An Agent And A Number
    [Documentation]    requestAgentConf, batchAddParticipant and answerAgentConf, with the events each member gets.
    Start Conference    seats=4    duration=30 minutes
    Wait For Events In Order    AgentState_Busy    AgentOther_PhoneAlerting    AgentOther_PhoneOffhook
    ...    AgentConf_SelfJoinResult    AgentConf_RequestSuccess    agent=first
    Add Conference Participants    agent:${SECOND}    number:${NUMBER}
    Wait For Events In Order    AgentState_Busy    AgentOther_PhoneAlerting    AgentConf_Ringing    agent=second
    Wait For Event    ${CHANGED}    participant=${NUMBER}    participantType=6    changeType=0    result=0
    ...    agent=first
    Answer Conference Invitation    agent=second
    Wait For Events In Order    AgentOther_PhoneOffhook    AgentConf_SelfJoinResult    agent=second
    Wait For Event    ${CHANGED}    participant=${SECOND}    participantType=9    changeType=0    agent=first
    Get Simulated Agent    ${CHAIR}
    ...    validate    value['conference']['chair'] == $CHAIR and len(value['conference']['members']) == 3
    End Conference
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready
    ...    agent=first
    Wait For Events In Order    ${CHANGED} participant=${CHAIR} changeReason=3    AgentConf_SelfLeaveResult
    ...    AgentState_Ready    agent=second

The Chair Holds And Removes Participants
    [Documentation]    holdParticipant, unholdParticipant, batchRemoveParticipant (with an address not in the
    ...    conference) and releaseAgentConf.
    Conference With Agent 102 And A Number
    Hold Conference Participant    number:${NUMBER}    ${MUSIC}
    Wait For Event On Agents    ${CHANGED}    first    second    participant=${NUMBER}    changeType=5
    Unhold Conference Participant    number:${NUMBER}
    Wait For Event On Agents    ${CHANGED}    first    second    participant=${NUMBER}    changeType=6
    ${absent}=    Remove Conference Participants    agent:${SECOND}    number:88880099
    Should Be Equal    ${absent}    ${{['number:88880099']}}
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready
    ...    agent=second
    Wait For Event    ${CHANGED}    participant=${SECOND}    changeType=1    changeReason=1    agent=first
    End Conference
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready

An Invitation Is Turned Down
    [Documentation]    rejectAgentConf: the invitee is released, the members hear it left (changeReason 2).
    Conference With Agent 102 And A Number
    Add Conference Participants    agent:${THIRD}
    Wait For Event    AgentConf_Ringing    agent=third
    Reject Conference Invitation    agent=third
    Wait For Events In Order    AgentOther_PhoneRelease    AgentState_Ready    agent=third
    Wait For Event On Agents    ${CHANGED}    first    second    participant=${THIRD}    changeType=1
    ...    changeReason=2
    End Conference

A Member Leaves After The Chair Is Handed Over
    [Documentation]    changeParticipantMode (only listen only and listen and speak raise events),
    ...    applyToShiftPresident and requestLeaveAgentConf.
    Conference With Agent 102 And A Number
    Set Conference Participant Mode    agent:${SECOND}    listen only
    Wait For Event On Agents    ${CHANGED}    first    second    participant=${SECOND}    changeType=3
    Set Conference Participant Mode    agent:${SECOND}    listen and speak
    Wait For Event On Agents    ${CHANGED}    first    second    participant=${SECOND}    changeType=4
    Set Conference Participant Mode    agent:${SECOND}    speak only
    Event Should Not Arrive    ${CHANGED}    within=0.3s
    Hand Over Conference Chair    ${SECOND}
    Wait For Event    AgentConf_PresidentChanged    agent=second
    Wait For Event    ${CHANGED}    participant=${SECOND}    changeType=2    agent=first
    Leave Conference
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready
    Wait For Event    ${CHANGED}    participant=${CHAIR}    changeType=1    changeReason=0    agent=second
    End Conference    agent=second
    Wait For Events In Order    AgentConf_SelfLeaveResult    AgentState_Ready    agent=second

The Conference Reminds The Chair Is Extended And Ends On Its Own
    [Documentation]    AgentConf_Timeout ``reminder`` before the end (1 of 4 minutes: 0.6 s), prolongTime moves the
    ...    end; at the end everyone is released as by releaseAgentConf.
    Start Conference    seats=2    duration=4 minutes    reminder=3 minutes
    Add Conference Participants    agent:${SECOND}
    Answer Conference Invitation    agent=second
    Wait For Event    AgentConf_Timeout    timeout=5s
    ${added}=    Extend Conference    2 minutes
    Should Be Equal    ${added}    ${{datetime.timedelta(minutes=2)}}
    Wait For Event    AgentConf_Timeout    timeout=5s
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready
    ...    timeout=5s
    Wait For Events In Order    ${CHANGED} participant=${CHAIR} changeType=1 changeReason=3
    ...    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready    agent=second

A Supervisor Signs A Member Out And The Chair Hears Why
    [Documentation]    forceLogOutAgent of a member: the members who stay hear it left because it signed out
    ...    (changeReason 4) and get no voice call's release events; the conference goes on and ends as usual.
    Sign In Agent    ${SUPERVISOR}    ${AGENT_PASSWORD}    70900    alias=lead
    Wait For Event    AgentState_Ready    agent=lead
    Switch Agent    first
    Conference With Agent 102 And A Number
    Force Sign Out Agent    ${SECOND}    agent=lead
    Wait For Event    ${CHANGED}    participant=${SECOND}    participantType=9    changeType=1    changeReason=4
    ...    agent=first
    Event Should Not Arrive    AgentEvent_Customer_Release    within=0.3s    agent=first
    ${seen}=    Get Simulated Agent    ${CHAIR}
    Length Should Be    ${seen}[conference][members]    2
    ${signed_out}=    Get Simulated Agent    ${SECOND}
    Should Not Be True    ${signed_out}[signedIn]
    End Conference
    Wait For Events In Order    AgentOther_PhoneRelease    AgentConf_SelfLeaveResult    AgentState_Ready

Announcements To The Conference And To One Participant
    [Documentation]    playVoiceToConf ends with AgentConf_StopVoice; stopVoiceToConf ends it without an event;
    ...    playVoiceToParticipant and stopVoiceToParticipant give AgentConf_StopParticipantVoice.
    Start Conference
    Add Conference Participants    number:${NUMBER}
    Wait For Event    ${CHANGED}    participant=${NUMBER}    changeType=0
    Play Conference Announcement    ${MUSIC}
    Wait For Event    AgentConf_StopVoice    result=0
    Play Conference Announcement    ${MUSIC}    background=True
    Stop Conference Announcement
    Event Should Not Arrive    AgentConf_StopVoice    within=0.3s
    Play Conference Announcement    ${MUSIC}    to=number:${NUMBER}
    Stop Conference Announcement    to=number:${NUMBER}
    Wait For Event    AgentConf_StopParticipantVoice    result=0
    End Conference

Refusals Without A Conference
    [Documentation]    101-001 for every operation while agent 101 is in no conference; 100-007 for an agent
    ...    neither idle nor in a call.
    Each Chair Operation Is Refused Without A Conference
    Each Announcement Is Refused Without A Conference
    Answer Conference Invitation    expected_retcode=101-001
    Reject Conference Invitation    expected_retcode=101-001
    Leave Conference    expected_retcode=101-001
    Set Agent Busy    agent=third
    Start Conference    agent=third    expected_retcode=100-007

Refusals In A Conference
    [Documentation]    Each refusal with its code: already in one, the chair to itself, removing or leaving as
    ...    chair, an address that is not a member, no seat left, not the chair.
    Conference With Agent 102 And A Number
    Start Conference    expected_retcode=101-003
    Add Conference Participants    agent:${SECOND}    expected_retcode=101-003
    Add Conference Participants    number:88880062    number:88880063    expected_retcode=000-002
    Remove Conference Participants    agent:${CHAIR}    expected_retcode=101-006
    Leave Conference    expected_retcode=101-007
    Hand Over Conference Chair    ${CHAIR}    expected_retcode=101-005
    Hand Over Conference Chair    ${THIRD}    expected_retcode=000-002
    Hold Conference Participant    number:88880099    ${MUSIC}    expected_retcode=000-002
    Extend Conference    1 minute    agent=second    expected_retcode=101-002
    End Conference

Refusals Of What Is Already So
    [Documentation]    100-007 for holding a held participant, taking one off hold who is not held, and for
    ...    announcements already playing or not playing.
    Conference With Agent 102 And A Number
    Hold Conference Participant    agent:${SECOND}    ${MUSIC}
    Hold Conference Participant    agent:${SECOND}    ${MUSIC}    expected_retcode=100-007
    Unhold Conference Participant    agent:${SECOND}
    Unhold Conference Participant    agent:${SECOND}    expected_retcode=100-007
    Stop Conference Announcement    expected_retcode=100-007
    Stop Conference Announcement    to=agent:${SECOND}    expected_retcode=100-007
    Play Conference Announcement    ${MUSIC}
    Play Conference Announcement    ${MUSIC}    expected_retcode=100-007
    Play Conference Announcement    ${MUSIC}    to=agent:${SECOND}
    Play Conference Announcement    ${MUSIC}    to=agent:${SECOND}    expected_retcode=100-007
    End Conference

Only The Chair Ends The Conference
    [Documentation]    FAIL releaseAgentConf failed for agent 102: retcode 101-002 (agent is not the chairperson), expected 0 (success). The gateway says: agent 102 is not the conference's chairperson (agent 101 is)
    Start Conference
    Add Conference Participants    agent:${SECOND}
    Answer Conference Invitation    agent=second
    End Conference    agent=second


*** Keywords ***
Sign In Three Agents
    [Documentation]    Agents 101 (first, the chair), 102 (second) and 103 (third), all idle.
    FOR    ${alias}    ${agent_id}    IN    first    ${CHAIR}    second    ${SECOND}    third    ${THIRD}
        Sign In Agent    ${agent_id}    ${AGENT_PASSWORD}    70${agent_id}    alias=${alias}
        Wait For Event    AgentState_Ready    agent=${alias}
    END
    Switch Agent    first

Conference With Agent 102 And A Number
    [Documentation]    Agent 101 chairs a conference of 4 seats with agent 102 and ${NUMBER}, both joined.
    Start Conference    seats=4
    Add Conference Participants    agent:${SECOND}    number:${NUMBER}
    Wait For Event    ${CHANGED}    participant=${NUMBER}    changeType=0
    Wait For Event    AgentConf_Ringing    agent=second
    Answer Conference Invitation    agent=second
    Wait For Event    ${CHANGED}    participant=${SECOND}    changeType=0

Each Chair Operation Is Refused Without A Conference
    [Documentation]    101-001 for every operation of a chairperson on the members while agent 101 is in no
    ...    conference.
    End Conference    expected_retcode=101-001
    Extend Conference    5 minutes    expected_retcode=101-001
    Add Conference Participants    agent:${SECOND}    expected_retcode=101-001
    Remove Conference Participants    agent:${SECOND}    expected_retcode=101-001
    Hold Conference Participant    agent:${SECOND}    ${MUSIC}    expected_retcode=101-001
    Unhold Conference Participant    agent:${SECOND}    expected_retcode=101-001
    Set Conference Participant Mode    agent:${SECOND}    neither    expected_retcode=101-001
    Hand Over Conference Chair    ${SECOND}    expected_retcode=101-001

Each Announcement Is Refused Without A Conference
    [Documentation]    101-001 for the announcements while agent 101 is in no conference.
    Play Conference Announcement    ${MUSIC}    expected_retcode=101-001
    Play Conference Announcement    ${MUSIC}    to=agent:${SECOND}    expected_retcode=101-001
    Stop Conference Announcement    expected_retcode=101-001
    Stop Conference Announcement    to=agent:${SECOND}    expected_retcode=101-001
