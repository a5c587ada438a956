*** Settings ***
Documentation     Two and three agents work one customer: internal calls, consulting and transferring, help in a
...               three-party call, conferences that lose a party, picking up a colleague's ringing call.
...               Each agent's own events are asserted.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Three Agents
Test Teardown     Sign Out All Agents

Test Tags         call    colleagues    simulator-only


*** Test Cases ***
An Agent Calls A Colleague
    [Documentation]    callInner: the colleague's phone rings; both talk once it is answered.
    ${internal}=    Call Agent    102    agent=first
    ${ringing}=    Wait For Event    AgentEvent_Ringing    agent=second
    Should Be Equal    ${ringing}[content][feature]    6
    Answer Call    agent=second
    Wait For Event    AgentEvent_Talking    callid=${internal}    agent=first
    Wait For Event    AgentEvent_Talking    callid=${internal}    agent=second
    Release Call    agent=second
    Wait For Event    AgentEvent_Call_Release    callid=${internal}    agent=first
    Wait For Event    AgentState_Ready    agent=first

A Call To A Skill Queue Reaches Its Free Agent
    [Documentation]    callInnerSkill: only the colleague signed in to the queue is offered the call.
    Reset Skills    2    agent=second
    Reset Skills    1    agent=third
    Call Skill Queue    2    agent=first
    Wait For Event    AgentEvent_Ringing    agent=second

Consult A Colleague Then Transfer The Customer
    [Documentation]    innerHelp holds the customer while the agents talk; transfer hands the customer over.
    ${customer}=    Customer Talks To    first
    ${consult}=    Ask For Help    102    agent=first
    Wait For Event    AgentEvent_Hold    callid=${customer}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${consult}    agent=second
    Answer Call    agent=second
    Wait For Event    AgentEvent_Talking    callid=${consult}    agent=first
    Transfer Call    102    agent=first
    Wait For Event    AgentEvent_SuccTransResult    agent=first
    Wait For Event    AgentState_Ready    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=second
    Get Call Info    validate    value['callid'] == $customer    agent=second

Help In A Three Party Call
    [Documentation]    Three-party help: the colleague joins the customer's call; all agents see the conference.
    ${customer}=    Customer Talks To    first
    Ask For Help    102    three_party=True    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=second
    Answer Call    agent=second
    Wait For Event    AgentEvent_Conference    callid=${customer}    agent=first
    Wait For Event    AgentEvent_Conference    callid=${customer}    agent=second
    Release Call    agent=first
    Wait For Event    AgentEvent_Customer_Release    callid=${customer}    number=70001    agent=second
    Get Agent Status    ==    talking    agent=second

Blind Transfer To A Colleague
    [Documentation]    A release transfer: the agent leaves at once, the colleague's phone rings with the transfer.
    ${customer}=    Customer Talks To    first
    Transfer Call    102    mode=release    agent=first
    Wait For Event    AgentState_Ready    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    transfer=yes    transfrom=101    agent=second

A Conference Goes On When A Customer Leaves
    [Documentation]    Hold, call out, join: when one customer hangs up the agent stays with the other.
    ${customer}=    Customer Talks To    first
    Hold Call    agent=first
    ${second}=    Call Out    88880022    agent=first
    Wait For Event    AgentEvent_Talking    callid=${second}    agent=first
    Make Three Party Call    ${customer}    agent=first
    Wait For Event    AgentEvent_Conference    callid=${customer}    agent=first
    Simulate Customer Hang Up    ${customer}    number=88880021
    Wait For Event    AgentEvent_Customer_Release    number=88880021    agent=first
    Event Should Not Have Arrived    AgentState_Ready    first
    Disconnect Party    88880022    agent=first
    Wait For Event    AgentState_Ready    agent=first

Pick Up A Colleague's Ringing Call
    [Documentation]    snatchpickup: an idle agent takes a call ringing at a colleague.
    ${customer}=    Simulate Inbound Call    caller=88880023    agent=second
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=second
    Pick Up Call    102    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first
    Wait For Event    AgentState_Ready    agent=second

Mute, Digits And Connecting The Two Other Parties
    [Documentation]    beginMute, endMute, secondDialEx, then connectHold leaves the customers talking.
    ${customer}=    Customer Talks To    first
    Mute Call    agent=first
    Mute Call    agent=first    expected_retcode=200-004
    Unmute Call    agent=first
    Send Digits    12#    agent=first
    Get Simulated Agent    101    validate    value['calls'][0]['digits'] == ['12#']
    Hold Call    agent=first
    Get Held Calls    validate    [call['callid'] for call in value] == [$customer]    agent=first
    ${second}=    Call Out    88880024    agent=first
    Wait For Event    AgentEvent_Talking    callid=${second}    agent=first
    Connect Held Call    ${customer}    agent=first
    Wait For Event    AgentState_Ready    agent=first

A Busy Number Fails The Call
    [Documentation]    The far end is busy: Call_Out_Fail and Connect_Fail, and the agent is ready again.
    Simulate Far End    88880025    busy
    Call Out    88880025    agent=first
    Wait For Event    AgentEvent_Call_Out_Fail    agent=first
    Wait For Event    AgentEvent_Connect_Fail    agent=first
    Wait For Event    AgentState_Ready    agent=first

Talk Transfer To An External Number Is Cancelled
    [Documentation]    A three-party transfer to a number connects the three; Cancel Transfer drops the number.
    ${customer}=    Customer Talks To    first
    Transfer Call    88880026    to_type=number    mode=three-party    agent=first
    Wait For Event    AgentEvent_Conference    callid=${customer}    agent=first
    Cancel Transfer    agent=first
    Wait For Event    AgentEvent_Customer_Release    number=88880026    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first

A Rejected Call Leaves The Agent Busy
    [Documentation]    reject with then=busy: AgentEvent_No_Answer and the agent is set busy.
    ${customer}=    Simulate Inbound Call    caller=88880027    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=first
    Reject Call    then=busy    agent=first
    Wait For Event    AgentEvent_No_Answer    agent=first
    Wait For Event    AgentState_SetNotReady_Success    agent=first

A Transfer Mode The Target Does Not Offer Is Refused
    [Documentation]    FAIL transfer request is invalid, not sent: mode 'suspend' is not offered for a transfer to agent; choose release, success, specified
    Customer Talks To    first
    Transfer Call    102    mode=suspend    agent=first

Transfer Without A Call Fails
    [Documentation]    FAIL GLOB: transfer failed for agent 101: retcode 200-012 (transfer: there is no call), expected 0 (success).*
    Transfer Call    102    agent=first

Help Without A Call Fails
    [Documentation]    FAIL GLOB: innerHelp failed for agent 101: retcode 200-018 (internal consult: there is no call), expected 0 (success).*
    Ask For Help    102    agent=first

Mute Without A Call Fails
    [Documentation]    FAIL beginMute failed for agent 101: retcode 200-003 (mute: there is no call), expected 0 (success).
    Mute Call    agent=first

Unmute When Not Muted Fails
    [Documentation]    FAIL GLOB: endMute failed for agent 101: retcode 200-008 (unmute: call state does not allow it), expected 0 (success).*
    Customer Talks To    first
    Unmute Call    agent=first

Connect Held Call Without A Held Call Fails
    [Documentation]    FAIL connectHold failed for agent 101: retcode 200-006 (connect-hold: there is no held call), expected 0 (success).
    Customer Talks To    first
    Connect Held Call    1455885056-1095    agent=first

Dropping A Party That Is Not In The Call Fails
    [Documentation]    FAIL GLOB: disconnect failed for agent 101: retcode 200-024 (*), expected 0 (success). The gateway says: no party 88889999 in call *
    Customer Talks To    first
    Disconnect Party    88889999    agent=first

No Held Calls Is An Empty List
    [Documentation]    queryHoldListInfo answers 400-003 when nothing is held; the keyword returns an empty list.
    Get Held Calls    ==    ${{[]}}    agent=first


*** Keywords ***
Sign In Three Agents
    [Documentation]    Agents 101, 102 and 103 as first, second and third, each idle with manual answer.
    Sign In Agent    101    ${AGENT_PASSWORD}    70001    alias=first
    Sign In Agent    102    ${AGENT_PASSWORD}    70002    alias=second
    Sign In Agent    103    ${AGENT_PASSWORD}    70003    alias=third
    FOR    ${alias}    IN    first    second    third
        Wait For Event    AgentState_Ready    agent=${alias}
    END

Customer Talks To
    [Documentation]    A customer (88880021) calls ``alias``'s agent, who answers; returns the call ID.
    [Arguments]    ${alias}
    ${customer}=    Simulate Inbound Call    caller=88880021    agent=${alias}
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=${alias}
    Answer Call    agent=${alias}
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=${alias}
    RETURN    ${customer}

Event Should Not Have Arrived
    [Documentation]    Fails if ``event`` arrives for ``alias`` within half a second.
    [Arguments]    ${event}    ${alias}
    Run Keyword And Expect Error    *did not arrive*    Wait For Event    ${event}    timeout=0.5s    agent=${alias}
