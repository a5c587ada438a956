*** Settings ***
Documentation     Queries and settings an agent reads back: status, custom state, softphone token, notes, and
...               raw requests for anything the catalogue does not cover.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         agent    queries


*** Test Cases ***
Custom State Is Set, Read And Cleared
    [Documentation]    setCustomState, queryCustomState, cancelSetCustomState.
    Get Custom State    ==    ${None}
    Set Custom State    12
    Get Custom State    ==    ${12}
    Clear Custom State
    Get Custom State    ==    ${None}

A Custom State Out Of Range Is Refused Before Sending
    [Documentation]    FAIL GLOB: setCustomState request is invalid, not sent: query.customstate: *custom state 0 to 65534*
    Set Custom State    65535

The Softphone Token Is A Secret
    [Documentation]    loginInfo's token is returned as a Secret and masked in the log; the assertion reads its text.
    Get Softphone Token    validate    len(value) > 0

A Note Reaches The Other Agent
    [Documentation]    sendNoteletEx: each signed-in receiver gets AgentOther_Note.
    Sign In Agent    102    ${AGENT_PASSWORD}    70002    alias=second
    Send Note    meeting at 3 pm    102    agent=${FIRST_AGENT}
    Wait For Event    AgentOther_Note    agent=second

Raw Request Reaches A Path Outside The Catalogue
    [Documentation]    Any method and path under the gateway goes out with the agent's Guid; the reply is returned.
    ${reply}=    Send Raw Request    GET onlineagent/{agentid}/agentstatus
    Should Be Equal    ${reply}[retcode]    0
    ${reply}=    Send Raw Request    POST onlineagent/{agentid}/notdocumented    expected_status=404
    Should Contain    ${reply}    Not Found

Status Reports The State By Name And Code
    [Documentation]    getAgentStatus: code and name.
    ${status}=    Get Agent Status    ==    idle
    Should Be Equal As Integers    ${status}[agentState]    4
