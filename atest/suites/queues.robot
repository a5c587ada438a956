*** Settings ***
Documentation     Customers call skill queue 2 (billing, access code 60002) of the simulator's roster while agents
...               101 and 102 are busy: the queue fills, the first agent to become free gets the call that waited
...               longest, callers give up, and the statistics count what happened. The VDN's queues, access
...               codes and IVRs and the monitoring routes are read; the refusals are pinned with their retcodes.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Two Busy Agents
Test Teardown     Empty The Queues And Sign Out

Test Tags         queues    simulator-only


*** Variables ***
${BILLING}          2
${BILLING_CODE}     60002
${FIRST}            101
${SECOND}           102
${THIRD}            103
${SIGNED_OUT}       104
${NO_SUCH_SKILL}    42
${CALLER_1}         88880061
${CALLER_2}         88880062
${CALLER_3}         88880063


*** Test Cases ***
The Queue Fills While Every Agent Is Busy
    [Documentation]    Three calls to the billing queue (by skill and by access code) wait, oldest first; every
    ...    figure of the queue says so.
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    access_code=${BILLING_CODE}
    ${three}=    Simulate Inbound Call    caller=${CALLER_3}    skill=${BILLING}
    Get Queue Length    skill=${BILLING}    ==    3
    Get Queue Length    signed in    ==    3    agent=second
    Get Queue Length    configured    ==    3
    Get Waiting Calls    skill=${BILLING}    validate    [c['callid'] for c in value] == [$one, $two, $three]
    Get Waiting Calls    ${BILLING}    validate    [c['caller'] for c in value] == [$CALLER_1, $CALLER_2, $CALLER_3]
    Get ACD Statistics
    ...    validate
    ...    (value[0]['queueSize'], value[0]['availAgents'], value[0]['loggedOnAgents']) == (3, 0, 2)
    ...    skills=${{[2]}}
    Get Gateway State    validate    value['waitingCalls'] == 3
    Get Skill Statistics    skill=${BILLING}    validate    value['queueSize'] == 3 and value['longestWait'] >= 0

The First Agent To Become Free Gets The Call That Waited Longest
    [Documentation]    Agent 102 becomes ready first and gets the first caller; 101 then gets the second.
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    skill=${BILLING}
    Set Agent Ready    agent=second
    Wait For Event    AgentEvent_Talking    callid=${one}    agent=second
    Get Waiting Calls    skill=${BILLING}    validate    [c['callid'] for c in value] == [$two]
    Set Agent Ready    agent=first
    Wait For Event    AgentEvent_Talking    callid=${two}    agent=first
    Get Queue Length    skill=${BILLING}    ==    0

A Waiting Call Goes To The Agent Whose Call Ends
    [Documentation]    The first call goes straight to the one free agent; the second waits until that call ends, or
    ...    until the after-call work the agent entered ends.
    Set Agent Ready    agent=first
    Wait For Event    AgentState_Ready    agent=first
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    access_code=${BILLING_CODE}
    Wait For Event    AgentEvent_Talking    callid=${one}    agent=first
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    skill=${BILLING}
    Get Queue Length    skill=${BILLING}    ==    1
    Simulate Customer Hang Up    ${one}
    Wait For Event    AgentEvent_Talking    callid=${two}    agent=first
    Enter After Call Work    agent=second
    ${three}=    Simulate Inbound Call    caller=${CALLER_3}    skill=${BILLING}
    Leave After Call Work    agent=second
    Wait For Event    AgentEvent_Talking    callid=${three}    agent=second

A Rejected Call Goes Back To The Head Of Its Queue
    [Documentation]    Agent 103 (manual answer) rejects the call back to its queue and is set busy; the call waits
    ...    ahead of the later one and goes to the next agent who becomes free.
    Sign In Agent    ${THIRD}    ${AGENT_PASSWORD}    70003    alias=third
    Wait For Event    AgentState_Ready    agent=third
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    Wait For Event    AgentEvent_Ringing    callid=${one}    agent=third
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    skill=${BILLING}
    Reject Call    then=busy    agent=third
    Wait For Events In Order    AgentEvent_No_Answer    AgentState_SetNotReady_Success    agent=third
    Get Waiting Calls    skill=${BILLING}    validate    [c['callid'] for c in value] == [$one, $two]
    Set Agent Ready    agent=first
    Wait For Event    AgentEvent_Talking    callid=${one}    agent=first

A Caller Gives Up While Waiting
    [Documentation]    One caller hangs up while waiting, another runs out of patience; the queue lets both go.
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    skill=${BILLING}
    Simulate Caller Gives Up    ${one}
    Get Waiting Calls    skill=${BILLING}    validate    [c['callid'] for c in value] == [$two]
    Simulate Inbound Call    caller=${CALLER_3}    skill=${BILLING}    patience=0.3s
    Get Queue Length    skill=${BILLING}    ==    1
    Set Agent Ready    agent=first
    Wait For Event    AgentEvent_Talking    callid=${two}    agent=first

A Caller Who Is No Longer Waiting Cannot Give Up
    [Documentation]    FAIL GLOB: Simulator refused: no call * is waiting in a skill queue
    Set Agent Ready    agent=first
    Wait For Event    AgentState_Ready    agent=first
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    Wait For Event    AgentEvent_Talking    callid=${one}    agent=first
    Simulate Caller Gives Up    ${one}

Statistics After A Set Of Calls
    [Documentation]    Three calls: one answered at once, one answered after waiting, one abandoned; the skill's
    ...    and the agent's figures grow by what happened.
    ${before}=    Get Skill Statistics    skill=${BILLING}
    ${agent_before}=    Get Simulated Agent    ${SECOND}
    Set Agent Ready    agent=second
    Wait For Event    AgentState_Ready    agent=second
    ${one}=    Simulate Inbound Call    caller=${CALLER_1}    skill=${BILLING}
    Wait For Event    AgentEvent_Talking    callid=${one}    agent=second
    ${two}=    Simulate Inbound Call    caller=${CALLER_2}    skill=${BILLING}
    ${three}=    Simulate Inbound Call    caller=${CALLER_3}    skill=${BILLING}
    Simulate Caller Gives Up    ${three}
    Sleep    0.2s    reason=some talk time and waiting time to count
    Simulate Customer Hang Up    ${one}
    Wait For Event    AgentEvent_Talking    callid=${two}    agent=second
    Simulate Customer Hang Up    ${two}
    Wait For Event    AgentState_Ready    agent=second
    Statistics Should Have Grown    ${before}    ${agent_before}
    Get Agent Statistics    validate    value['answernums'] >= 2 and value['talktime'] >= 0    agent=second
    Get Agent Statistics    validate    value['busynums'] >= 1    full=${True}    agent=second

The VDN And The Gateway Describe Themselves
    [Documentation]    The skill queues, access codes and IVRs of the VDN; the monitoring routes' server time,
    ...    version, state, cluster nodes and agents' nodes; the two settings of the monitoring chapter.
    Get VDN Skill Queues    validate    [q['id'] for q in value] == [1, 2, 3]
    Get VDN Skill Queues    validate    [q['name'] for q in value][1] == 'billingQueue'    vdn=1
    Get Signed In Skill Queues    ${SECOND}    validate    [q['id'] for q in value] == [1, 2]
    Get Access Codes    validate    [c['inno'] for c in value] == ['60001', '60002', '60003']
    Get IVRs    validate    value[0]['access'] == '60010'
    Get IVR Calls    1    ==    ${{[]}}
    Get IVR Calls    1    ==    ${0}    count_only=${True}
    Get ACD Statistics    validate    [item['deviceNo'] for item in value] == [1, 2, 3]
    Get Server Time    validate    abs(value / 1000 - time.time()) < 60
    Get Gateway Version    starts    ccgw-sim
    Get Cluster Nodes    validate    value[0]['agents'] == 2
    Get Cluster Nodes    validate    value['state'] == 'running'    name=AgentGateway0
    Get Agent Nodes    validate    sorted(n['workNo'] for n in value) == ['101', '102']
    Get Agent Nodes    validate    value['node'] == 'AgentGateway0'    of_agent=${SECOND}
    Set Agent Timeout Handling    ${False}
    Get Gateway State    validate    value['agentTimeout'] is False
    Set Agent Timeout Handling    ${True}
    Set Maximum Chats    1    3

Refusals For What The VDN Does Not Have
    [Documentation]    A skill queue, VDN, agent, IVR or gateway node the simulator does not have: 000-002.
    Get Queue Length    skill=${NO_SUCH_SKILL}    expected_retcode=000-002
    Get Waiting Calls    ${NO_SUCH_SKILL}    expected_retcode=000-002
    Get Skill Statistics    ${NO_SUCH_SKILL}    expected_retcode=000-002
    Get VDN Skill Queues    vdn=2    expected_retcode=000-002
    Set Maximum Chats    2    3    expected_retcode=000-002
    Get Signed In Skill Queues    5000    expected_retcode=000-002
    Get Cluster Nodes    name=AgentGateway9    expected_retcode=000-002
    Get Agent Nodes    of_agent=5000    expected_retcode=000-002
    Get IVR Calls    9    expected_retcode=000-002
    Get IVR Calls    9    count_only=${True}    expected_retcode=000-002
    ${reply}=    Send Raw Request    queryStatInfoOfAcd    body=${{{'skills': []}}}
    Should Be Equal    ${reply}[retcode]    000-002

Refusals For An Agent Who Is Not Signed In
    [Documentation]    Asking about agent 104, or as agent 104, who is not signed in: 100-006.
    Get Signed In Skill Queues    ${SIGNED_OUT}    expected_retcode=100-006
    Get Agent Nodes    of_agent=${SIGNED_OUT}    expected_retcode=100-006
    FOR    ${route}    IN    queryQueueLengthOnAgent    queryQueueLengthOnAgentSkills    querySkillQueueOnAgentVDN
    ...    queryCallStatisticsInfo    queryCallStatisticsInfoEx
        ${reply}=    Send Raw Request    ${route}    agent_id=${SIGNED_OUT}
        Should Be Equal    ${reply}[retcode]    100-006
    END

A Queue Is Named By Its ID
    [Documentation]    FAIL Get Queue Length: queue must name a skill queue as skill=<ID> or <ID> (a whole number from 1), or be 'signed in' or 'configured', got 'billing'
    Get Queue Length    billing


*** Keywords ***
Sign In Two Busy Agents
    [Documentation]    Agents 101 (first) and 102 (second), busy, answering offered calls at once.
    Sign In Agent    ${FIRST}    ${AGENT_PASSWORD}    70001    alias=first    status=busy    auto_answer=${True}
    Sign In Agent    ${SECOND}    ${AGENT_PASSWORD}    70002    alias=second    status=busy    auto_answer=${True}
    Wait For Event    AgentState_SetNotReady_Success    agent=first
    Wait For Event    AgentState_SetNotReady_Success    agent=second

Statistics Should Have Grown
    [Documentation]    Billing counts 3 more calls offered, 2 answered, 1 abandoned, more talk time and some wait;
    ...    agent 102 counts 2 more answered.
    [Arguments]    ${before}    ${agent_before}
    ${after}=    Get Skill Statistics    skill=${BILLING}
    Should Be Equal As Integers    ${after}[offered]    ${{$before['offered'] + 3}}
    Should Be Equal As Integers    ${after}[answered]    ${{$before['answered'] + 2}}
    Should Be Equal As Integers    ${after}[abandoned]    ${{$before['abandoned'] + 1}}
    Should Be True    $after['talkTime'] > $before['talkTime']
    Should Be True    $after['averageWait'] > 0
    Get Simulated Agent    ${SECOND}
    ...    validate    value['queueStatistics']['answered'] == $agent_before['queueStatistics']['answered'] + 2

Empty The Queues And Sign Out
    [Documentation]    Callers still waiting give up, so the next test starts with empty queues.
    ${queues}=    Get VDN Skill Queues    agent=first
    FOR    ${queue}    IN    @{queues}
        ${waiting}=    Get Waiting Calls    ${queue}[id]    agent=first
        FOR    ${call}    IN    @{waiting}
            Simulate Caller Gives Up    ${call}[callid]
        END
    END
    Sign Out All Agents
