*** Settings ***
Documentation     A team that already uses RequestsLibrary reaches the gateway through a session built from the
...               library's facts (base URL, CA, the agent's current Guid), with the Guid kept out of the log.

Library           RequestsLibrary
Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         requests-library


*** Test Cases ***
GET On Session Reaches An Endpoint With The Agent's Guid
    [Documentation]    The catalogue gives the path; auth adds the Guid as the request is sent. verify goes with
    ...    each request too: requests lets REQUESTS_CA_BUNDLE override a session's CA (psf/requests#3829).
    ${gw}=    Get Gateway Facts    interface=getAgentStatus
    Create Session    ccgw    ${gw}[url]    verify=${gw}[ca_bundle]
    ${reply}=    GET On Session    ccgw    ${gw}[path]    auth=${gw}[auth]    verify=${gw}[ca_bundle]
    Should Be Equal    ${reply.json()}[retcode]    0

POST On Session Changes The Agent's State
    [Documentation]    A state change sent through RequestsLibrary reaches the library's event journal.
    ${gw}=    Get Gateway Facts    interface=sayBusy
    Create Session    ccgw    ${gw}[url]    verify=${gw}[ca_bundle]
    ${reply}=    POST On Session    ccgw    ${gw}[path]    auth=${gw}[auth]    verify=${gw}[ca_bundle]
    Should Be Equal    ${reply.json()}[retcode]    0
    Wait For Event    AgentState_SetNotReady_Success

Without The Guid The Gateway Refuses
    [Documentation]    The same request without auth is refused (000-003): the Guid did travel above.
    ${gw}=    Get Gateway Facts    interface=getAgentStatus
    Create Session    ccgw    ${gw}[url]    verify=${gw}[ca_bundle]
    ${reply}=    GET On Session    ccgw    ${gw}[path]    verify=${gw}[ca_bundle]
    Should Be Equal    ${reply.json()}[retcode]    000-003

The Guid Is A Secret
    [Documentation]    The facts hold the Guid as a Secret, which Robot never logs.
    ${gw}=    Get Gateway Facts    validate    isinstance(value['guid'], robot.api.types.Secret)
    Log    ${gw}[guid]
