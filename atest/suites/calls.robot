*** Settings ***
Documentation     Call handling: answer, hold, retrieve, call out, release, and a customer hanging up.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         call    simulator-only


*** Test Cases ***
Held Call Is Retrieved
    [Documentation]    Retrieving the held call brings it back to talking.
    ${customer}=    Answer An Inbound Call    88880011
    Hold Call
    Wait For Event    AgentEvent_Hold    callid=${customer}
    Retrieve Call    ${customer}
    Wait For Event    AgentEvent_Talking    callid=${customer}
    Get Agent Status    ==    talking
    Release Call
    Wait For Event    AgentEvent_Customer_Release    callid=${customer}    number=88880011
    Wait For Event    AgentState_Ready

Release Reports The Documented Events In Order
    [Documentation]    Call_Release, Customer_Release, PhoneRelease, then Ready.
    ${customer}=    Answer An Inbound Call    88880012
    Release Call
    ${first}=    Wait For Event    AgentEvent_Call_Release
    Should Be Equal    ${first}[content]    ${customer}
    Wait For Event    AgentEvent_Customer_Release
    Wait For Event    AgentOther_PhoneRelease    phoneState=2
    Wait For Event    AgentState_Ready

Call Out Returns The New Call Id
    [Documentation]    The outbound call's ID comes back from Call Out and in the events.
    ${call}=    Call Out    88880013
    Should Not Be Empty    ${call}
    Wait For Event    AgentEvent_Customer_Alerting    callid=${call}    otherPhone=88880013
    Wait For Event    AgentEvent_Talking    callid=${call}    called=88880013
    Release Call

Customer Hanging Up Ends The Call
    [Documentation]    The simulator's control interface lets the customer hang up.
    ${customer}=    Answer An Inbound Call    88880014
    Simulate Customer Hang Up    ${customer}
    Wait For Event    AgentEvent_Customer_Release    callid=${customer}
    Wait For Event    AgentOther_PhoneRelease    phoneState=3
    Wait For Event    AgentState_Ready
    Release Call    expected_retcode=200-017


*** Keywords ***
Answer An Inbound Call
    [Documentation]    A customer calls the first agent, who answers. Returns the call ID.
    [Arguments]    ${caller}
    ${callid}=    Simulate Inbound Call    caller=${caller}    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing    callid=${callid}    caller=${caller}
    Answer Call
    Wait For Event    AgentEvent_Talking    callid=${callid}
    RETURN    ${callid}
