*** Settings ***
Documentation     A gateway that misbehaves, injected through the simulator's control interface: failed polls are
...               retried and recorded, a lost poll reply shows as a possible gap, an expired Guid ends polling.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         events    faults    simulator-only


*** Test Cases ***
Failed Polls Are Retried Without Losing Events
    [Documentation]    Two polls answer HTTP 502 and one an HTML page; the event queued meanwhile still arrives.
    [Tags]    poll-only
    Simulate Fault    getAgentEvent    http    502    agent=${FIRST_AGENT}    count=2
    Simulate Fault    getAgentEvent    not-json    agent=${FIRST_AGENT}
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success
    Get Simulator Counters    validate    value['events']['lost'] == 0

A Lost Poll Reply Shows As A Possible Gap
    [Documentation]    FAIL GLOB: AgentState_SetNotReady_Success did not arrive for agent ${FIRST_AGENT} in 3 seconds. *An event may have been lost in transport: 1 poll(s) failed after reaching the gateway*
    [Tags]    poll-only
    Simulate Fault    getAgentEvent    drop    agent=${FIRST_AGENT}
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success    timeout=3s

The Simulator Counts The Event Lost With The Dropped Reply
    [Documentation]    The soak test's bookkeeping: an event lost in transport is counted by the simulator.
    [Tags]    poll-only
    ${before}=    Get Simulator Counters
    Simulate Fault    getAgentEvent    drop    agent=${FIRST_AGENT}
    Set Agent Busy
    Event Should Not Arrive    AgentState_SetNotReady_Success    within=1s
    Get Simulator Counters    validate    value['events']['lost'] == $before['events']['lost'] + 1

A Slow Reply Within The Timeout Is Fine
    [Documentation]    sayBusy's reply comes after half a second; the library's 10 s timeout covers it.
    Simulate Fault    sayBusy    delay    0.5
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success

An Injected Retcode Fails The Step In Words
    [Documentation]    FAIL GLOB: sayBusy failed for agent ${FIRST_AGENT}: retcode 100-007 (*), expected 0 (success). The gateway says: injected
    Simulate Fault    sayBusy    retcode    100-007
    Set Agent Busy

A Restarted Gateway Ends Polling And The Agent Signs In Again
    [Documentation]    The simulator restarts as a gateway reboots: the port closes for a second (polls are refused and
    ...    retried), the agent's session is gone (polling stops on 100-006), and a new sign-in carries on.
    ...    In push mode nothing is polled: the loss shows at the next heartbeat, so the test is for polling.
    [Tags]    poll-only
    Restart Gateway Simulator    downtime=1s
    Run Keyword And Expect Error    *cannot arrive for agent ${FIRST_AGENT} any more: *polling stopped: *100-006*
    ...    Wait For Event    AgentState_SetNotReady_Success    timeout=5s
    Sign In First Agent
    Set Agent Busy
    Wait For Event    AgentState_SetNotReady_Success

An Expired Guid Ends Polling With Its Reason
    [Documentation]    FAIL GLOB: AgentState_SetNotReady_Success cannot arrive for agent ${FIRST_AGENT} any more: *polling stopped: *000-003 *
    [Tags]    poll-only
    Simulate Guid Expiry    ${FIRST_AGENT}
    Wait For Event    AgentState_SetNotReady_Success    timeout=5s
