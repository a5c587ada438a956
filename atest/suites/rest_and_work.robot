*** Settings ***
Documentation     Rest breaks and after-call work, confirmed by events; the gateway's timers are scaled by the
...               simulator's time_scale so that a 60 s rest ends in 0.6 s.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test    time_scale=0.01
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         agent    rest-and-work


*** Test Cases ***
A Rest Break Starts, Reminds And Ends
    [Documentation]    The reminder comes when the time is up; the agent stays in rest until Cancel Rest.
    [Tags]    simulator-only
    Start Rest    60s    reason=3
    Wait For Event    AgentState_SetRest_Success    reason=3
    Wait For Event    AgentState_Rest_Timeout    timeout=3s
    Get Agent Status    ==    rest
    Cancel Rest
    Wait For Event    AgentState_CancelRest_Success
    Get Agent Status    ==    idle

Changing The Rest Reason Needs Prolong
    [Documentation]    A second rest request changes the reason only with prolong=True.
    Start Rest    10 minutes    reason=3
    Wait For Event    AgentState_SetRest_Success
    Start Rest    10 minutes    reason=4    expected_retcode=100-009
    Start Rest    10 minutes    reason=4    prolong=True
    Wait For Event    AgentState_SetRest_Success    reason=4

Cancel Rest When Not Resting Fails
    [Documentation]    FAIL GLOB: cancelRest failed for agent ${FIRST_AGENT}: retcode 100-009 (setting the agent state failed (possibly no permission)), expected 0 (success).*
    Cancel Rest

A Rest Longer Than A Day Is Refused Before Sending
    [Documentation]    FAIL GLOB: rest request is invalid, not sent: path.time: *1 to 86399*
    Start Rest    1 day

After Call Work Starts And Ends
    [Documentation]    sayWork and cancelWork, each confirmed by its event.
    Enter After Call Work
    Wait For Event    AgentState_SetWork_Success
    Get Agent Status    ==    work
    Leave After Call Work
    Wait For Event    AgentState_CancelWork_Success

After Call Work Follows A Call Without Auto Idle
    [Documentation]    With auto-enter-idle off, the end of a call leads to after-call work.
    [Tags]    simulator-only
    Set Auto Enter Idle    False
    ${customer}=    Simulate Inbound Call    caller=88880001    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing    callid=${customer}
    Answer Call
    Release Call
    Wait For Event    AgentState_Work
    Set Agent Ready
    Wait For Event    AgentState_CancelWork_Success
    Wait For Event    AgentState_Ready

Leaving Work When Not In Work Fails
    [Documentation]    FAIL GLOB: cancelWork failed for agent ${FIRST_AGENT}: retcode 100-009 (setting the agent state failed (possibly no permission)), expected 0 (success).*
    Leave After Call Work
