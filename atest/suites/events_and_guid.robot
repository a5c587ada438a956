*** Settings ***
Documentation     Events keep their order and are never lost or repeated while the Guid rotates.
...               The simulator here rotates the Guid every 300 ms and holds polls 200 ms.

Library           CCGatewayLibrary
Variables         ../resources/variables.py

Suite Setup       Start Gateway Simulator    poll_wait=200ms    guid_rotation=300ms    roster=${SIM_ROSTER}
Suite Teardown    Stop Gateway Simulator

Test Tags         events    guid    simulator-only


*** Test Cases ***
Calls Keep Working While The Guid Rotates
    [Documentation]    Several Guid changes happen between the steps; every request and event still gets through.
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    FOR    ${round}    IN RANGE    3
        Sleep    0.7s    reason=let polls rotate the Guid
        ${customer}=    Simulate Inbound Call    caller=8888000${round}    agent=101
        Wait For Event    AgentEvent_Ringing    callid=${customer}
        Answer Call
        Wait For Event    AgentEvent_Talking    callid=${customer}
        Release Call
        Wait For Event    AgentEvent_Call_Release    callid=${customer}
        Wait For Event    AgentState_Ready
    END
    ${history}=    Get Event History
    ${seqs}=    Evaluate    [item['seq'] for item in $history]
    ${expected}=    Evaluate    list(range(1, len($history) + 1))
    Should Be Equal    ${seqs}    ${expected}
    ${ringing}=    Evaluate    [item for item in $history if item['eventType'] == 'AgentEvent_Ringing']
    Length Should Be    ${ringing}    3
    [Teardown]    Sign Out Agent

A Guid Replaced Without Grace Keeps Every Keyword Working
    [Documentation]    Each round the gateway hands out a new Guid on the next poll reply (push mode: heartbeat
    ...    reply) and refuses the old one at once; the library's next requests carry the new one.
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    FOR    ${_}    IN RANGE    10
        Simulate Guid Rotation    101
        Set Agent Busy
        Wait For Event    AgentState_SetNotReady_Success
        Cancel Busy
        Wait For Event    AgentState_CancelNotReady_Success
    END
    [Teardown]    Sign Out Agent

An Event That Arrived Before The Wait Is Found
    [Documentation]    The journal keeps events until a waiter takes them, however late it asks.
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Set Agent Busy
    Sleep    0.5s    reason=the event arrives before anyone waits
    ${event}=    Wait For Event    AgentState_SetNotReady_Success    timeout=0.1s
    Should Be Equal    ${event}[workNo]    101
    [Teardown]    Sign Out Agent
