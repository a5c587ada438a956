*** Settings ***
Documentation     Text sessions (the mediacall chapter and the older textchat routes): a simulated customer writes,
...               agent 101 answers, writes back, transfers the session to agent 102 or ends it; the session limit;
...               the H5 video helpers the simulator refuses. Every party's events are asserted; the refusals are
...               pinned with their retcodes.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Two Agents
Test Teardown     Sign Out All Agents

Test Tags         text    simulator-only


*** Variables ***
${AGENT}        101
${COLLEAGUE}    102
${CUSTOMER}     88880071
${NO_SUCH}      1455885056-1095


*** Test Cases ***
A Customer Writes And The Agent Answers And Writes Back
    [Documentation]    The customer's messages wait for the answer (textchatAnswer), then arrive as
    ...    AgentEvent_MessageData; sendMessage reaches the customer; textchatDrop ends the session.
    ${session}=    Simulate Customer Message    hello    ${CUSTOMER}
    Wait For Event    AgentChat_Ring    callId=${session}    caller=${CUSTOMER}
    Simulate Customer Message    are you there?    ${CUSTOMER}    ${session}
    Answer Text Session    ${session}
    Wait For Events In Order    AgentChat_Connected callId=${session}    AgentEvent_MessageData message=hello
    ...    AgentEvent_MessageData mediaAbility=5
    Get Text Messages    ${session}    ==    ${{['hello', 'are you there?']}}
    Send Text Message    ${session}    How can I help?
    Get Simulated Text Session    ${session}
    ...    validate    value['messages'][-1] == {'from': $AGENT, 'text': 'How can I help?'}
    Simulate Customer Message    my bill    ${CUSTOMER}    ${session}
    Get Text Messages    ${session}    validate    value[-1] == 'my bill'
    Get Agent Status    ==    idle
    End Text Session    ${session}
    Wait For Event    AgentChat_Disconnected    callId=${session}
    Get Simulated Agent    ${AGENT}    validate    value['calls'] == []

A Session Is Transferred To A Colleague
    [Documentation]    mediaTransfer to an agent: the agent lets go (AgentChat_Disconnected), the colleague is offered
    ...    the session with the data attached, answers it and gets the customer's next message (not the earlier
    ...    ones, which the first agent had).
    ${session}=    Customer Session Answered
    Transfer Text Session    ${session}    ${COLLEAGUE}    call_data=vip
    Wait For Event    AgentChat_Disconnected    callId=${session}
    Wait For Event    AgentChat_Ring    callId=${session}    attachData=vip    agent=second
    Answer Text Session    ${session}    agent=second
    Wait For Event    AgentChat_Connected    callId=${session}    agent=second
    Simulate Customer Message    thanks    ${CUSTOMER}    ${session}    agent=second
    Get Text Messages    ${session}    ==    ${{['thanks']}}    agent=second
    Get Text Messages    ${session}    ==    ${{['hello']}}
    End Text Session    ${session}    agent=second

A Session Turned Down Ends For The Customer
    [Documentation]    textchatReject: no agent holds the session any more, so the customer cannot write in it.
    ${session}=    Simulate Customer Message    hello    ${CUSTOMER}
    Wait For Event    AgentChat_Ring    callId=${session}
    Reject Text Session    ${session}
    Run Keyword And Expect Error    Simulator refused: no text session ${session} of customer ${CUSTOMER}
    ...    Simulate Customer Message    hello?    ${CUSTOMER}    ${session}
    Event Should Not Arrive    AgentChat_Disconnected    within=0.3s

The Session Limit Is Kept
    [Documentation]    setCallNums for text chat: with a limit of 1 a second customer's session is not offered.
    Set Text Session Limit    1
    Simulate Customer Message    hello    ${CUSTOMER}
    Run Keyword And Expect Error    Simulator refused: agent 101 already holds 1 text session(s), its limit
    ...    Simulate Customer Message    hello    88880072
    Set Text Session Limit    2
    ${second}=    Simulate Customer Message    hello    88880072
    Wait For Event    AgentChat_Ring    callId=${second}

Refusals Of The Chapter
    [Documentation]    Each refusal with its code: a session the agent does not hold, an empty message, a count
    ...    out of range, a transfer to a queue, the H5 video the simulator has not got.
    Answer Text Session    ${NO_SUCH}    expected_retcode=100-007
    Reject Text Session    ${NO_SUCH}    expected_retcode=100-007
    End Text Session    ${NO_SUCH}    expected_retcode=100-007
    Send Text Message    ${NO_SUCH}    hello    expected_retcode=100-007
    Set Text Session Limit    61    expected_retcode=106-003
    ${session}=    Customer Session Answered
    Transfer Text Session    ${session}    1    to_type=skill    expected_retcode=106-004
    Transfer Text Session    ${session}    ${AGENT}    expected_retcode=100-007
    Get Video Connection Info    ${session}    expected_retcode=106-011
    Capture Customer Image    ${session}    expected_retcode=106-011
    ${reply}=    Send Raw Request    sendMessage    body=${{{'callid': $session, 'data': ' '}}}
    Should Be Equal    ${reply}[retcode]    106-002

A Session Answered Twice Is Refused
    [Documentation]    FAIL GLOB: textchatAnswer failed for agent 101: retcode 100-007 (*), expected 0 (success). The gateway says: agent 101 was offered no text session *
    ${session}=    Customer Session Answered
    Answer Text Session    ${session}

Older Routes Without A Vendor Page
    [Documentation]    The textchat routes reached with Send Raw Request: a message (chat), a transfer (tranfser)
    ...    and an internal chat, which the simulator has not got.
    ${session}=    Customer Session Answered
    ${reply}=    Send Raw Request    chat    body=${{{'callId': $session, 'content': 'one moment'}}}
    Should Be Equal    ${reply}[retcode]    0
    ${reply}=    Send Raw Request
    ...    tranfser
    ...    body=${{{'addesstype': 1, 'destaddr': $COLLEAGUE, 'callid': $session}}}
    Should Be Equal    ${reply}[retcode]    0
    Wait For Event    AgentChat_Ring    callId=${session}    agent=second
    ${reply}=    Send Raw Request    textchatInternalCall    path_params=${{{'destno': $COLLEAGUE}}}
    Should Be Equal    ${reply}[retcode]    100-007
    ${reply}=    Send Raw Request    setCallNumsByMediaType
    ...    body=${{{'totalCallNum': 2, 'agentMediaCallNums': [{'mediaType': 53}]}}}
    Should Be Equal    ${reply}[retcode]    0


*** Keywords ***
Sign In Two Agents
    [Documentation]    Agents 101 (first) and 102 (second), both idle.
    Sign In Agent    ${COLLEAGUE}    ${AGENT_PASSWORD}    70002    alias=second
    Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
    Wait For Event    AgentState_Ready    agent=first
    Wait For Event    AgentState_Ready    agent=second

Customer Session Answered
    [Documentation]    The customer writes hello to agent 101, who answers; returns the session's call ID.
    ${session}=    Simulate Customer Message    hello    ${CUSTOMER}
    Wait For Event    AgentChat_Ring    callId=${session}
    Answer Text Session    ${session}
    Wait For Event    AgentEvent_MessageData    callid=${session}
    RETURN    ${session}
