*** Settings ***
Documentation     An agent joins a held customer into a three-party call; each customer's call ID still names
...               that customer afterwards, so a test hangs up exactly the party it means.

Library           CCGatewayLibrary
Variables         ../resources/variables.py

Suite Setup       Start Gateway Simulator    roster=${SIM_ROSTER}
Suite Teardown    Stop Gateway Simulator

Test Tags         simulator-only    conference


*** Test Cases ***
# robocop: off=missing-doc-test-case
Agent Joins A Held Customer Into A Three Party Call
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Set Agent Ready
    Wait For Event    AgentState_Ready
    ${customer}=    Simulate Inbound Call    caller=88880001    agent=101
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Wait For Event    AgentEvent_Talking
    Hold Call
    Wait For Event    AgentEvent_Hold
    Call Out    88880002
    Wait For Event    AgentEvent_Talking
    Make Three Party Call    ${customer}
    Wait For Event    AgentEvent_Conference    callid=${customer}
    Release Call
    Sign Out Agent

The Customer Who Hangs Up Is The One The Call Id Names
    Sign In Agent    101    password=${AGENT_PASSWORD}    phone=70001
    Set Agent Ready
    Wait For Event    AgentState_Ready
    ${customer}=    Simulate Inbound Call    caller=88880001    agent=101
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Wait For Event    AgentEvent_Talking
    Hold Call
    Wait For Event    AgentEvent_Hold
    ${third}=    Call Out    88880002
    Wait For Event    AgentEvent_Talking    callid=${third}
    Make Three Party Call    ${customer}
    Wait For Event    AgentEvent_Conference    callid=${customer}
    Simulate Customer Hang Up    ${third}
    Wait For Event    AgentEvent_Customer_Release    number=88880002
    Event Should Not Arrive    AgentEvent_Call_Release    within=0.5s
    Simulate Customer Hang Up    ${customer}
    Wait For Events In Order    AgentEvent_Call_Release    AgentState_Ready
    Sign Out Agent
