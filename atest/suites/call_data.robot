*** Settings ***
Documentation     Call-associated data and business data written by one agent on a customer's call and read by
...               the next after a transfer; the IDs and count of an agent's calls; a supervisor's view of the
...               calls an agent holds. The refusals are pinned with their retcodes.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In Two Agents
Test Teardown     Sign Out All Agents

Test Tags         calldata    simulator-only


*** Variables ***
${CUSTOMER_NUMBER}    88880061
${OTHER_NUMBER}       88880062
${AGENT}              101
${COLLEAGUE}          102
${SUPERVISOR}         900
${CRM_DATA}           customer=4711;tier=gold
${NO_SUCH_CALL}       1455885056-1095


*** Test Cases ***
Call Data Follows The Customer Through A Blind Transfer
    [Documentation]    setCallAppDataEx by the first agent, queryCallAppData and setCallBusinessData, then a
    ...    release transfer: the colleague reads both from the same call.
    ${customer}=    Customer Talks To Agent
    Set Call Data    ${CRM_DATA}    agent=first
    Get Call Data    ==    ${CRM_DATA}    agent=first
    Get Call Data    ==    ${{base64.b64encode($CRM_DATA.encode()).decode()}}    base64=True    agent=first
    Set Business Data    case=CRM-77    callid=${customer}    agent=first
    Transfer Call    ${COLLEAGUE}    mode=release    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=second
    Answer Call    agent=second
    Get Call Data    ==    ${CRM_DATA}    callid=${customer}    agent=second
    Get Business Data    ==    case=CRM-77    agent=second
    Get Call Info    validate    value['calldata'] == $CRM_DATA    agent=second
    Get Call Data    agent=first    expected_retcode=400-001

Call Data Follows The Customer Through A Consulted Transfer
    [Documentation]    The colleague consulted takes over the customer's call and reads the data written before.
    ${customer}=    Customer Talks To Agent
    Set Call Data    ${{base64.b64encode(b'order=42').decode()}}    encoded=True    agent=first
    ${consult}=    Ask For Help    ${COLLEAGUE}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${consult}    agent=second
    Answer Call    agent=second
    Wait For Event    AgentEvent_Talking    callid=${consult}    agent=first
    Get Call IDs    ==    ${{[$customer, $consult]}}    agent=first
    Get Call Count    ==    ${2}    agent=first
    Transfer Call    ${COLLEAGUE}    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=second
    Get Call Data    ==    order=42    agent=second
    Get Call IDs    ==    ${{[]}}    agent_id=${AGENT}    agent=second

A Supervisor Sees The Calls An Agent Holds
    [Documentation]    queryHoldListInfoEx: empty (400-003) before the hold, the held customer after it.
    Sign In Agent    ${SUPERVISOR}    ${AGENT_PASSWORD}    70900    alias=lead
    Wait For Event    AgentState_Ready    agent=lead
    ${customer}=    Customer Talks To Agent
    Get Held Calls    ==    ${{[]}}    agent_id=${AGENT}    agent=lead
    Hold Call    agent=first
    Wait For Event    AgentEvent_Hold    callid=${customer}    agent=first
    Get Held Calls    validate    [c['callid'] for c in value] == [$customer]    agent_id=${AGENT}    agent=lead
    Get Held Calls    agent_id=${AGENT}    agent=second    expected_retcode=300-001
    Get Held Calls    agent_id=103    agent=lead    expected_retcode=100-006

Refusals Of The Chapter
    [Documentation]    No call to write on (400-001), another agent's call or Base64 that does not decode
    ...    (000-002), an agent not signed in (100-006) or unknown to the VDN (000-002).
    Set Call Data    ${CRM_DATA}    agent=first    expected_retcode=400-001
    Set Business Data    x    agent=first    expected_retcode=400-001
    Get Business Data    agent=first    expected_retcode=400-001
    Customer Talks To Agent
    Set Call Data    not base64!    encoded=True    agent=first    expected_retcode=000-002
    Get Call Data    callid=${NO_SUCH_CALL}    agent=first    expected_retcode=000-002
    Get Call IDs    agent_id=103    agent=first    expected_retcode=100-006
    Get Call IDs    agent_id=99999    agent=first    expected_retcode=000-002
    ${reply}=    Send Raw Request    setCallAppData    query=${{{'calldata': 'x', 'callid': $NO_SUCH_CALL}}}
    ...    agent=first
    Should Be Equal    ${reply}[retcode]    000-002

Data Over 16 KB Is Not Sent
    [Documentation]    FAIL setCallAppDataEx request is invalid, not sent: data is 16385 bytes; the gateway takes at most 16384
    Customer Talks To Agent
    Set Call Data    ${{'x' * 16385}}    agent=first

Listed Routes Answer From The Agents Calls
    [Documentation]    The listed-only routes of the agent's own calls, with a held customer and an outbound call.
    Held Customer And Outbound Call
    FOR    ${route}    ${expected}    IN
    ...    queryRemoteNumbers    ${{[$CUSTOMER_NUMBER, $OTHER_NUMBER]}}
    ...    isProcessCall    ${True}
    ...    queryPrivateCallInfo    ${{[]}}
    ...    queryCallRecordList    ${{[]}}
    ...    querySelfCallRecordInfo    ${{[]}}
        ${reply}=    Send Raw Request    ${route}    agent=first
        Should Be Equal    ${reply}[result]    ${expected}
    END

Listed Routes Answer About Another Agents Calls
    [Documentation]    The listed-only routes on another agent's calls and the calls of the VDN.
    ${calls}=    Held Customer And Outbound Call
    ${reply}=    Send Raw Request    queryAgentHoldNum    path_params=${{{'workno': $AGENT}}}    agent=second
    Should Be Equal    ${reply}[result]    ${1}
    ${reply}=    Send Raw Request    queryAllCallInfoByAgentWorkNo    path_params=${{{'workno': $AGENT}}}
    ...    agent=second
    Should Be Equal    ${{[call['callid'] for call in $reply['result']]}}    ${calls}
    ${reply}=    Send Raw Request    queryAllCallInfoOnVdn    agent=second
    Length Should Be    ${reply}[result]    2


*** Keywords ***
Sign In Two Agents
    [Documentation]    Agents 101 (first) and 102 (second), idle, answering by hand.
    Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
    Sign In Agent    ${COLLEAGUE}    ${AGENT_PASSWORD}    70002    alias=second
    Wait For Event    AgentState_Ready    agent=first
    Wait For Event    AgentState_Ready    agent=second

Customer Talks To Agent
    [Documentation]    The customer calls agent 101, who answers; returns the customer's call ID.
    ${customer}=    Simulate Inbound Call    caller=${CUSTOMER_NUMBER}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=first
    Answer Call    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first
    RETURN    ${customer}

Held Customer And Outbound Call
    [Documentation]    Agent 101 holds the customer and calls out; returns both call IDs.
    ${customer}=    Customer Talks To Agent
    Hold Call    agent=first
    ${outbound}=    Call Out    ${OTHER_NUMBER}    agent=first
    Wait For Event    AgentEvent_Talking    callid=${outbound}    agent=first
    RETURN    ${{[$customer, $outbound]}}
