*** Settings ***
Documentation     Push mode whatever the run's event mode: a push delivered twice is recorded once, a late or
...               retried push loses nothing, a push the simulator drops cannot be seen and is counted by it,
...               and the heartbeat keeps the session and reports its end. The simulator runs at 2 % of the
...               gateway's timers: a heartbeat every 0.6 s, silent agents signed out after 2.4 s.

Library           CCGatewayLibrary    event_mode=push
Library           RequestsLibrary
Variables         ../resources/variables.py

Suite Setup       Start Gateway Simulator    poll_wait=1s    time_scale=0.02    roster=${SIM_ROSTER}
Suite Teardown    Stop Gateway Simulator
Test Setup        Sign In Pushed Agent
Test Teardown     Sign Out All Agents

Test Tags         events    faults    push    simulator-only


*** Test Cases ***
A Push Delivered Twice Is Recorded Once
    [Documentation]    The simulator sends the busy event's push twice; the second delivery is recognised.
    Simulate Fault    push    duplicate    agent=${FIRST_AGENT}
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Event Should Not Arrive    AgentState_SetNotReady_Success    within=1s
    Get Simulator Counters    validate    value['pushes']['duplicated'] == 1

A Late Push Arrives
    [Documentation]    The push leaves a second late; the wait covers it.
    Simulate Fault    push    delay    1    agent=${FIRST_AGENT}
    Set Agent Busy
    Event Should Not Arrive    AgentState_SetNotReady_Success    within=0.5s
    Wait For Event    AgentState_SetNotReady_Success    timeout=5s

An Unreachable Callback Is Tried Again Without Loss
    [Documentation]    Two tries fail as if the library could not be reached; the third delivers.
    ${before}=    Get Simulator Counters
    Simulate Fault    push    unreachable    agent=${FIRST_AGENT}    count=2
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Get Simulator Counters    validate    value['pushes']['retried'] >= $before['pushes']['retried'] + 2
    Get Simulator Counters    validate    value['events']['lost'] == $before['events']['lost']

A Dropped Push Is Counted By The Simulator Only
    [Documentation]    The library cannot see a push that never left: no gap, the event just does not come.
    ${before}=    Get Simulator Counters
    Simulate Fault    push    drop    agent=${FIRST_AGENT}
    Set Agent Busy
    Event Should Not Arrive    AgentState_SetNotReady_Success    within=1s
    Get Simulator Counters    validate    value['events']['lost'] == $before['events']['lost'] + 1

The Heartbeat Keeps A Pushed Agent Signed In
    [Documentation]    Longer than the scaled 2 minutes without polls: the heartbeat alone keeps the session.
    Sleep    3s    reason=the scaled sign-out of a silent agent is 2.4 s
    Get Agent Status    ==    idle
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success

A Push Without The Service Token Is Refused And Counted
    [Documentation]    FAIL GLOB: *SetNotReady_Success did not arrive for agent ${FIRST_AGENT} in 500 milliseconds.* Last polling problem: 1 push refused (wrong service token), e.g. * with a wrong service_token header *
    ${endpoint}=    Get Push Endpoint    agent=${FIRST_AGENT}
    VAR    &{event}=    eventType=AgentState_SetNotReady_Success    workNo=${FIRST_AGENT}
    ...    content=${{ {'reason': '201'} }}    eventGenTime=${1}
    VAR    &{body}=    workNo=${FIRST_AGENT}    eventList=${{ [$event] }}
    VAR    &{headers}=    service_token=NotTheServiceToken0
    POST    ${endpoint}[callback]    json=${body}    headers=${headers}    verify=${endpoint}[ca_file]
    ...    expected_status=401
    Wait For Event    AgentState_SetNotReady_Success    timeout=0.5s

An Expired Guid Ends The Heartbeat With Its Reason
    [Documentation]    FAIL GLOB: AgentState_SetNotReady_Success cannot arrive for agent ${FIRST_AGENT} any more: *heartbeat stopped: *000-003 *
    Simulate Guid Expiry    ${FIRST_AGENT}
    Wait For Event    AgentState_SetNotReady_Success    timeout=5s


*** Keywords ***
Sign In Pushed Agent
    [Documentation]    Signs the first test agent in (its events pushed) and waits until it is ready.
    Sign In Agent    ${FIRST_AGENT}    password=${AGENT_PASSWORD}    phone=70001
    Wait For Event    AgentState_Ready
