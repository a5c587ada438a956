*** Settings ***
Documentation     Steps the gateway refuses: failures name the interface, the retcode and its meaning.
...               Expected failure messages are pinned with robotstatuschecker.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         errors


*** Variables ***
${NO_HELD_CALL}    1455885056-1095


*** Test Cases ***
Hold Without A Call Fails With Its Retcode And Meaning
    [Documentation]    FAIL hold failed for agent ${FIRST_AGENT}: retcode 200-013 (hold: there is no call), expected 0 (success).
    [Tags]    hold
    Hold Call

Negative Test Expects The Retcode
    [Documentation]    LOG 1:* INFO GLOB: hold POST /agentgateway/resource/voicecall/*/hold → HTTP 200, retcode 200-013 (hold: there is no call), * ms
    [Tags]    hold
    Hold Call    expected_retcode=200-013

Answer With Nothing Ringing Fails
    [Documentation]    FAIL answer failed for agent ${FIRST_AGENT}: retcode 200-002 (answer: there is no call), expected 0 (success).
    [Tags]    answer
    Answer Call

Three Party Call Without A Held Call Fails
    [Documentation]    FAIL confJoin failed for agent ${FIRST_AGENT}: retcode 200-010 (three-party call: there is no call), expected 0 (success).
    [Tags]    confjoin
    Make Three Party Call    ${NO_HELD_CALL}

Three Party Call With An Unknown Call Id Fails
    [Documentation]    FAIL confJoin failed for agent ${FIRST_AGENT}: retcode 200-011 (three-party call: there is no held call), expected 0 (success).
    [Tags]    confjoin    simulator-only
    Simulate Inbound Call    caller=88880001    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Make Three Party Call    ${NO_HELD_CALL}

Retrieve An Unknown Call Id Fails
    [Documentation]    FAIL getHold failed for agent ${FIRST_AGENT}: retcode 200-015 (unhold: there is no held call), expected 0 (success).
    [Tags]    gethold
    Retrieve Call    ${NO_HELD_CALL}

Release Without A Call Fails
    [Documentation]    FAIL release failed for agent ${FIRST_AGENT}: retcode 200-017 (hang-up: there is no call), expected 0 (success).
    [Tags]    release
    Release Call

Signing In Twice Is Refused
    [Documentation]    FAIL login failed for agent ${FIRST_AGENT}: retcode 100-002 (agent already signed in), expected 0 (success).
    [Tags]    login
    Sign In Agent    ${FIRST_AGENT}    password=${AGENT_PASSWORD}    phone=70001

Wrong Password Is Refused
    [Documentation]    FAIL login failed for agent 102: retcode 100-004 (wrong user name or password at sign-in), expected 0 (success).
    [Tags]    login
    Sign In Agent    102    password=${WRONG_PASSWORD}    phone=70002

Invalid Agent Id Is Not Sent
    [Documentation]    FAIL login request is invalid, not sent: path.agentid: '99' breaks the rule: agent ID, digits from 101 to 999999 (2025-11 editions; 2023-2024 editions allow up to 59999)
    [Tags]    login
    Sign In Agent    99    password=${AGENT_PASSWORD}    phone=70009

Invalid Called Number Is Not Sent
    [Documentation]    FAIL callout request is invalid, not sent: body.called: '12ab' breaks the rule: number to call, 1 to 24 characters of digits, * or #
    [Tags]    callout
    Call Out    12ab

Gateway Refuses An Invalid Agent Id Sent Raw
    [Documentation]    Sent raw, the request reaches the gateway, which answers 000-002.
    [Tags]    raw
    ${reply}=    Send Raw Request    getAgentStatus    agent_id=99
    Should Be Equal    ${reply}[retcode]    000-002

Raw Body Written As JSON Is Sent As An Object
    [Documentation]    The gateway checks the object's field, so it was not sent as a JSON string.
    [Tags]    raw    confjoin    simulator-only
    ${reply}=    Send Raw Request    confJoin    body={"callid": ""}
    Should Be Equal    ${reply}[retcode]    000-002
    Should Contain    ${reply}[message]    body.callid

Raw Body That Is Not JSON Is Sent As Text
    [Documentation]    A malformed body reaches the gateway as written, which answers 000-006.
    [Tags]    raw    confjoin    simulator-only
    ${reply}=    Send Raw Request    confJoin    body={"callid":
    Should Be Equal    ${reply}[retcode]    000-006

Gateway Refuses A Request Without Guid
    [Documentation]    No Guid header: the gateway answers 000-003 (no right, authentication expired).
    [Tags]    raw    guid
    ${reply}=    Send Raw Request    sayFree    send_guid=False
    Should Be Equal    ${reply}[retcode]    000-003

Gateway Refuses A Wrong Guid
    [Documentation]    A Guid the gateway did not issue is refused like a missing one.
    [Tags]    raw    guid
    ${reply}=    Send Raw Request    sayFree    guid=${WRONG_GUID}
    Should Be Equal    ${reply}[retcode]    000-003

Waiting For An Event That Does Not Come Lists What Came
    [Documentation]    FAIL GLOB: AgentEvent_Conference did not arrive for agent * in 300 milliseconds. Arrived meanwhile: AgentState_SetNotReady_Success (#*).
    [Tags]    events
    Set Agent Busy
    Wait For Event    AgentEvent_Conference    timeout=0.3s

Unknown Event Name Is Reported With A Suggestion
    [Documentation]    FAIL Unknown event 'AgentEvent_Conferense'. Did you mean AgentEvent_Conference?
    [Tags]    events
    Wait For Event    AgentEvent_Conferense

No Agent Signed In
    [Documentation]    FAIL No agent with alias 'nobody'. Known aliases: ${FIRST_AGENT}.
    [Tags]    agent
    Hold Call    agent=nobody

Plain Http Gateway Is Refused
    [Documentation]    FAIL Gateway URL 'http://127.0.0.1:8043' must look like https://host:8043: the gateway takes passwords, so plain http:// is refused.
    [Tags]    gateway
    Use Gateway    http://127.0.0.1:8043

A Failing Call Shows Its Request And Reply At INFO
    [Documentation]    FAIL GLOB: hold failed for agent ${FIRST_AGENT}: retcode 200-013 *
    ...    LOG 1:* INFO GLOB: <details><summary>hold request and reply (secrets redacted)</summary>*200-013*
    [Tags]    hold    logging
    Hold Call

A Negative Timeout Is Refused Before Anything Waits
    [Documentation]    FAIL Wait For Event: 'timeout' must be a duration of zero or more, such as '5 s' or '1 min 30 s'; got a negative one (-5 s).
    [Tags]    events
    Wait For Event    AgentState_Ready    timeout=-5 seconds
