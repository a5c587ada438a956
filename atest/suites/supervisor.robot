*** Settings ***
Documentation     A supervisor (agent 900, inspector of the frontline agents 101 to 899 in the simulator's roster)
...               works one customer's call with agent 101: listens, whispers, barges in and takes the call
...               over; forces states on an idle agent and on one in a call; signs agents out at the end of a
...               shift. Every party's events are asserted; the refusals are pinned with their retcodes.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Agent And Supervisor
Test Teardown     Sign Out All Agents

Test Tags         supervisor    simulator-only


*** Variables ***
${CUSTOMER}        88880051
${SUPERVISOR}      900
${AGENT}           101
${COLLEAGUE}       102
${BACK_OFFICE}     1000
${NO_SUCH_CALL}    1455885056-1095


*** Test Cases ***
A Supervisor Listens Whispers Barges In And Takes The Call Over
    [Documentation]    addSupervise, requestSwitchInsertWhisperAgent, switchSuperviseOrInsert and intercept on one
    ...    call: the agent is told each mode; the customer ends up talking with the supervisor.
    ${customer}=    Customer Talks To Agent
    Listen To Agent    ${AGENT}    agent=lead
    Wait For Events In Order    AgentState_Busy    AgentOther_PhoneAlerting    AgentOther_PhoneOffhook    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=8    qcAgentId=${SUPERVISOR}    agent=first
    Get Inspected Agents    ==    ${{[{'workNo': '101', 'qcType': 8}]}}    agent=lead
    Agent Should Be Inspected    listen
    Switch Inspection Mode    whisper    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=20172    agent=first
    Switch Inspection Mode    barge in    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=9    agent=first
    Toggle Listening And Barging In    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=8    agent=first
    Intercept Call    ${AGENT}    agent=lead
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=lead
    Wait For Events In Order    AgentOther_BeQcStop    AgentEvent_Call_Release    AgentEvent_Customer_Release
    ...    AgentOther_PhoneRelease    AgentState_Ready    agent=first
    Simulate Customer Hang Up    ${customer}
    Wait For Events In Order    AgentEvent_Call_Release    AgentState_Ready    agent=lead

A Whisper Is Heard By The Agent Only And Ends With Stop Whispering
    [Documentation]    requestWhisperAgent and requestStopWhisperAgent: the agent's call goes on afterwards.
    Customer Talks To Agent
    Whisper To Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=20172    agent=first
    Get Simulated Agent    ${SUPERVISOR}    validate    value['inspecting'] == [{'agent': '101', 'mode': 'whisper'}]
    Stop Whispering    agent=lead
    Wait For Event    AgentOther_BeQcStop    qcType=20172    agent=first
    Wait For Events In Order    AgentOther_PhoneRelease    AgentState_Ready    agent=lead
    Get Call Info    validate    value['caller'] == '${CUSTOMER}'    agent=first

Barging In Ends With Stop Inspecting Agent
    [Documentation]    addInsert and stopSuperviseOrInsert: the supervisor leaves, agent and customer talk on.
    Customer Talks To Agent
    Barge In    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    qcType=9    agent=first
    Stop Inspecting Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStop    qcType=9    agent=first
    Wait For Events In Order    AgentOther_PhoneRelease    AgentState_Ready    agent=lead
    Get Inspected Agents    ==    ${{[]}}    agent=lead

A Given Call Is Intercepted
    [Documentation]    intercept with a call ID (the 2025 reference's interceptCall).
    ${customer}=    Customer Talks To Agent
    Listen To Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    agent=first
    Intercept Call    ${AGENT}    ${customer}    agent=lead
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=lead
    Wait For Event    AgentState_Ready    agent=first

A Customer Who Hangs Up Releases The Supervisor Too
    [Documentation]    The call ends for its monitor as for its parties.
    ${customer}=    Customer Talks To Agent
    Listen To Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    agent=first
    Simulate Customer Hang Up    ${customer}
    Wait For Events In Order    AgentEvent_Call_Release    AgentEvent_Customer_Release    AgentOther_PhoneRelease
    ...    AgentState_Ready    agent=lead
    Wait For Event    AgentState_Ready    agent=first

Forced States On An Idle Agent
    [Documentation]    forceBusy, forceRest, forceIdle and adjustSkill change agent 101 through the state table.
    Force Agent Busy    ${AGENT}    agent=lead
    Wait For Event    AgentState_SetNotReady_Success    reason=3    agent=first
    Force Agent Rest    ${AGENT}    10 minutes    2    agent=lead
    Wait For Event    AgentState_SetRest_Success    reason=2    agent=first
    Get Agent Status    ==    rest    agent=first
    Force Agent Idle    ${AGENT}    agent=lead
    Wait For Events In Order    AgentState_CancelRest_Success    AgentState_Ready    agent=first
    Adjust Agent Skills    ${AGENT}    2    agent=lead
    Get Agent Skills    validate    [skill['id'] for skill in value] == [2]    agent=first

Forced States On An Agent In A Call
    [Documentation]    A forced busy waits for no call (refused); a forced sign-out releases the call, and the
    ...    supervisor listening to it is released with it.
    Customer Talks To Agent
    Listen To Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_BeQcStart    agent=first
    Force Agent Busy    ${AGENT}    agent=lead    expected_retcode=900-005
    Force Agent Idle    ${AGENT}    agent=lead    expected_retcode=900-005
    Force Agent Rest    ${AGENT}    1 minute    1    agent=lead    expected_retcode=900-005
    Force Sign Out Agent    ${AGENT}    agent=lead
    Wait For Event    AgentOther_ShutdownService    agent=first
    Wait For Events In Order    AgentEvent_Call_Release    AgentState_Ready    agent=lead

A Supervisor Releases A Call
    [Documentation]    forceDropCall ends the call for the agent; an unknown call is refused with 900-004.
    ${customer}=    Customer Talks To Agent
    Force Release Call    ${customer}    agent=lead
    Wait For Events In Order    AgentEvent_Call_Release    AgentOther_PhoneRelease    AgentState_Ready    agent=first
    Force Release Call    ${NO_SUCH_CALL}    agent=lead    expected_retcode=900-004

Sign Outs At The End Of A Shift
    [Documentation]    forceLogOutAgent for each agent still signed in.
    Sign In Agent    ${COLLEAGUE}    ${AGENT_PASSWORD}    70002    alias=second
    Wait For Event    AgentState_Ready    agent=second
    FOR    ${alias}    ${agent_id}    IN    first    ${AGENT}    second    ${COLLEAGUE}
        Force Sign Out Agent    ${agent_id}    agent=lead
        Wait For Event    AgentOther_ShutdownService    agent=${alias}
    END
    Get Simulated Agent    ${COLLEAGUE}    validate    not value['signedIn']

Refusals Of The Chapter
    [Documentation]    Each refusal with its code: no rights over the group, oneself, an agent not signed in, a state
    ...    that does not allow it, no agent named.
    Listen To Agent    ${AGENT}    agent=lead    expected_retcode=900-005
    Listen To Agent    ${SUPERVISOR}    agent=lead    expected_retcode=000-005
    Barge In    ${BACK_OFFICE}    agent=lead    expected_retcode=900-002
    Whisper To Agent    ${COLLEAGUE}    agent=lead    expected_retcode=100-006
    Stop Inspecting Agent    ${AGENT}    agent=lead    expected_retcode=900-005
    Stop Whispering    agent=lead    expected_retcode=900-005
    Toggle Listening And Barging In    ${AGENT}    agent=lead    expected_retcode=900-005
    Switch Inspection Mode    listen    agent=lead    expected_retcode=900-005
    Intercept Call    ${AGENT}    agent=lead    expected_retcode=900-005
    Intercept Call    ${AGENT}    ${NO_SUCH_CALL}    agent=lead    expected_retcode=900-005
    Force Agent Busy    ${BACK_OFFICE}    agent=lead    expected_retcode=900-002
    Force Agent Idle    ${SUPERVISOR}    agent=lead    expected_retcode=000-005
    Force Sign Out Agent    ${COLLEAGUE}    agent=lead    expected_retcode=100-006
    Adjust Agent Skills    ${AGENT}    99    agent=lead    expected_retcode=100-001
    ${reply}=    Send Raw Request    requestWhisperAgent    agent=lead
    Should Be Equal    ${reply}[retcode]    900-004

An Agent Without Inspector Rights Is Refused
    [Documentation]    FAIL addSupervise failed for agent 101: retcode 900-002 (quality check: no right), expected 0 (success). The gateway says: agent 101 has no inspector rights
    Listen To Agent    ${COLLEAGUE}    agent=first

A Supervisor Who Is Not Idle Cannot Start Another Inspection
    [Documentation]    FAIL GLOB: addInsert failed for agent 900: retcode 900-005 (quality check: state error), expected 0 (success). The gateway says: agent 900 must be idle to inspect *
    Customer Talks To Agent
    Listen To Agent    ${AGENT}    agent=lead
    Barge In    ${AGENT}    agent=lead

Routes Without A Vendor Page Answer An Inspector
    [Documentation]    The listed-only routes of the chapter: success with an empty result for an inspector, 900-002
    ...    for an agent without inspector rights.
    Get Inspected Agents    agent=first    expected_retcode=900-002
    ${reply}=    Send Raw Request    beginMonitor    agent=first
    Should Be Equal    ${reply}[retcode]    900-002
    FOR    ${route}    IN    beginMonitor    endMonitor    queryQcTasks    deleteQcTask    qcCancelAgentSelfRecord
    ...    startVideoMonitor    stopVideoMonitor    startVideoOperation    startOrStopVideoPlay
    ...    queryVideoRecordFile    deleteVideoTask    registerDataToServer    queryUrlInfo
        ${reply}=    Send Raw Request    ${route}    agent=lead
        Should Be Equal    ${reply}[retcode]    0
    END
    ${reply}=    Send Raw Request    qcSetAgentSelfRecord
    ...    path_params=${{{'recordflag': '1', 'recordbeforetalking': '0'}}}    agent=lead
    Should Be Equal    ${reply}[retcode]    0


*** Keywords ***
Agent Should Be Inspected
    [Documentation]    The simulator says agent 101 is inspected by the supervisor in ``mode``.
    [Arguments]    ${mode}
    Get Simulated Agent    ${AGENT}    validate    value['inspectedBy'] == [{'agent': $SUPERVISOR, 'mode': $mode}]

Sign In Agent And Supervisor
    [Documentation]    Agent 101 (first, manual answer) and supervisor 900 (lead), both idle.
    Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
    Sign In Agent    ${SUPERVISOR}    ${AGENT_PASSWORD}    70900    alias=lead
    Wait For Event    AgentState_Ready    agent=first
    Wait For Event    AgentState_Ready    agent=lead

Customer Talks To Agent
    [Documentation]    The customer calls agent 101, who answers; returns the customer's call ID.
    ${customer}=    Simulate Inbound Call    caller=${CUSTOMER}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=first
    Answer Call    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first
    RETURN    ${customer}
