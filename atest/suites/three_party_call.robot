*** Settings ***
Documentation     The first slice: an agent joins a held customer into a three-party call.

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
