*** Settings ***
Documentation     The heartbeat, the Guid and the gateway's timers: an agent nobody polls for is signed out
...               after 2 minutes (1.2 s with time_scale=0.01).

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test    time_scale=0.01
Suite Teardown    Close Gateway Under Test
Test Teardown     Sign Out All Agents

Test Tags         agent    timeouts


*** Test Cases ***
Heartbeat And A Fresh Guid Keep The Session Working
    [Documentation]    handShake is accepted; after updateGuid the library uses the new Guid for requests and polls.
    Sign In First Agent
    Send Heartbeat
    Refresh Guid
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Get Agent Status    ==    busy

An Agent Nobody Polls For Is Signed Out
    [Documentation]    Signed in by a raw request, nobody polls its events, so the gateway signs it out and a
    ...    new sign-in is accepted instead of being refused with 100-002.
    [Tags]    simulator-only
    ${body}=    Evaluate    {'password': $AGENT_PASSWORD, 'phonenum': '70003'}
    ${reply}=    Send Raw Request    login    body=${body}    agent_id=103    send_guid=False
    Should Be Equal    ${reply}[retcode]    0
    ${again}=    Send Raw Request    login    body=${body}    agent_id=103    send_guid=False
    Should Be Equal    ${again}[retcode]    100-002
    Set Assertion Timeout    5s    scope=Test
    Get Simulated Agent    103    validate    not value['signedIn']
    ${later}=    Send Raw Request    login    body=${body}    agent_id=103    send_guid=False
    Should Be Equal    ${later}[retcode]    0

A Polled Agent Stays Signed In
    [Documentation]    The library's background polls count as the heartbeat.
    [Tags]    simulator-only
    Sign In First Agent
    Sleep    2s    reason=longer than the scaled 2 minutes
    Get Agent Status    ==    idle
