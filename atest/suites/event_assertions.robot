*** Settings ***
Documentation     Asserting events: none arrives, several in order, a count, the same event on several agents,
...               clearing what came so far. Failures name what did arrive.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         events


*** Test Cases ***
Events Arrive In The Documented Order
    [Documentation]    Busy then ready: SetNotReady_Success, CancelNotReady_Success, Ready, each with its filter.
    Set Agent Busy    reason=201
    Set Agent Ready
    ${events}=    Wait For Events In Order
    ...    AgentState_SetNotReady_Success reason=201
    ...    AgentState_CancelNotReady_Success
    ...    AgentState_Ready
    Length Should Be    ${events}    3

Events Whose Order Is Not Fixed Arrive In Any Order
    [Documentation]    The events are asked for in another order than they come; each is matched once.
    Set Agent Busy    reason=201
    Set Agent Ready
    ${events}=    Wait For Events In Any Order
    ...    AgentState_Ready
    ...    AgentState_SetNotReady_Success reason=201
    Should Be Equal    ${events}[0][eventType]    AgentState_Ready
    Event Should Not Arrive    AgentState_Ready    within=300ms

An Event That Should Not Come Does Not
    [Documentation]    Nothing rings while the agent is busy and no call is offered.
    Set Agent Busy
    Event Should Not Arrive    AgentEvent_Ringing    within=300ms
    Wait For Event    AgentState_SetNotReady_Success

Clear Events Skips What Came So Far
    [Documentation]    The busy event no wait returned is skipped and counted; history keeps every event.
    Set Agent Busy
    Event Count Should Be    1    AgentState_SetNotReady_Success
    ${cleared}=    Clear Events
    Should Be Equal As Integers    ${cleared}    1
    Event Should Not Arrive    AgentState_SetNotReady_Success    within=300ms
    ${history}=    Get Event History
    ${types}=    Evaluate    [item['eventType'] for item in $history]
    Should Contain    ${types}    AgentState_SetNotReady_Success

Exactly Two Holds Arrive
    [Documentation]    FAIL GLOB: AgentEvent_Hold arrived 2 time(s) for agent ${FIRST_AGENT} in this test (waited 1 second), expected 3: AgentEvent_Hold (#*), AgentEvent_Hold (#*).
    [Tags]    simulator-only
    Set Agent Ready
    ${customer}=    Simulate Inbound Call    caller=88880001    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Hold Call
    Retrieve Call
    Hold Call
    Event Count Should Be    2    AgentEvent_Hold    callid=${customer}
    Event Count Should Be    3    AgentEvent_Hold    timeout=1s

Several Agents See The Same Event
    [Documentation]    Both agents set busy: each gets AgentState_SetNotReady_Success.
    Sign In Agent    102    ${AGENT_PASSWORD}    70002    alias=second
    Set Agent Busy    agent=${FIRST_AGENT}
    Set Agent Busy    agent=second
    ${events}=    Wait For Event On Agents    AgentState_SetNotReady_Success    ${FIRST_AGENT}    second
    Should Be Equal    ${events}[second][workNo]    102

A Count Of Events
    [Documentation]    Busy twice (the second with prolong) gives two SetNotReady_Success events.
    Set Agent Busy    reason=201
    Set Agent Busy    reason=202    prolong=True
    ${both}=    Wait For Event    AgentState_SetNotReady_Success    count=2
    Should Be Equal    ${both}[1][content][reason]    202

An Event That Should Not Come But Does Fails Naming It
    [Documentation]    FAIL GLOB: AgentState_SetNotReady_Success (#*) arrived for agent ${FIRST_AGENT} within 1 second, and should not have: *
    Set Agent Busy
    Event Should Not Arrive    AgentState_SetNotReady_Success

Events Out Of Order Fail Showing The Order
    [Documentation]    FAIL GLOB: Events did not arrive in order for agent ${FIRST_AGENT} in 500 milliseconds: found *(#4); then AgentState_SetNotReady_Success did not follow. Arrived, in order: *(#3), *(#4), *(#5).
    Set Agent Busy
    Set Agent Ready
    Wait For Events In Order    AgentState_CancelNotReady_Success    AgentState_SetNotReady_Success    timeout=0.5s

A Filter On A Field The Event Has Not Got Fails At Once
    [Documentation]    FAIL AgentState_SetNotReady_Success has no field 'cause' to filter on; its fields are content, eventGenTime, eventType, reason, workNo.
    Wait For Event    AgentState_SetNotReady_Success    cause=201

A Timeout Names The Filter That Did Not Match
    [Documentation]    FAIL GLOB: AgentState_SetNotReady_Success with reason=209 did not arrive for agent ${FIRST_AGENT} in 500 milliseconds. * Not matching: *(#3): reason was '201', wanted '209'.
    Set Agent Busy    reason=201
    Wait For Event    AgentState_SetNotReady_Success    reason=209    timeout=0.5s

An Event That Reaches Only One Agent Fails Naming The Other
    [Documentation]    FAIL AgentEvent_Ringing did not reach agent 102 ('second') in 500 milliseconds (reached: none).
    [Tags]    simulator-only
    Sign In Agent    102    ${AGENT_PASSWORD}    70002    alias=second
    Wait For Event On Agents    AgentEvent_Ringing    second    timeout=0.5s

A Test Scoped Event Timeout Ends With The Test
    [Documentation]    FAIL AgentEvent_Ringing did not arrive for agent ${FIRST_AGENT} in 200 milliseconds. No other event arrived.
    ${old}=    Set Event Timeout    200ms    scope=Test
    Should Be Equal    ${old}    10 seconds
    Wait For Event    AgentEvent_Ringing

The Default Event Timeout Is Back After That Test
    [Documentation]    The test before set 200 ms for itself only.
    ${old}=    Set Event Timeout    10s    scope=Test
    Should Be Equal    ${old}    10 seconds

An Event No Simulated Step Produces
    [Documentation]    The simulator can send any event of the catalogue, for example a quality check starting.
    [Tags]    simulator-only
    Simulate Event    ${FIRST_AGENT}    AgentOther_BeQcStart    ${{ {'qcType': 8, 'qcAgentId': 201} }}
    ${event}=    Wait For Event    AgentOther_BeQcStart    qcAgentId=201
    Should Be Equal    ${event}[workNo]    ${FIRST_AGENT}

A Simulated Event Must Match Its Schema
    [Documentation]    FAIL GLOB: Simulator refused: not an event the gateway sends: *
    [Tags]    simulator-only
    Simulate Event    ${FIRST_AGENT}    AgentEvent_Hold    ${{ {'not': 'a call id'} }}
