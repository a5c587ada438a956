*** Settings ***
Documentation     Sign-in variants (login, forced, CCS only, with options), sign-out variants and skill queues.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Teardown     Sign Out All Agents

Test Tags         agent    sign-in


*** Test Cases ***
Forced Sign In Takes Over A Session
    [Documentation]    A second sign-in is refused with 100-002; forceLogin takes the session over and the new
    ...    session receives the sign-in events.
    Sign In First Agent
    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}    70001    expected_retcode=100-002
    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}    70001    force=True
    Wait For Event    AgentOther_InService
    Wait For Event    AgentState_Ready

Signing In To The CTI Server Only Needs No Phone
    [Documentation]    loginEx signs in without media servers; the sign-in options go with it.
    ${result}=    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}    ccs_only=True    auto_enter_idle=False
    Should Be Equal As Strings    ${result}[workno]    ${FIRST_AGENT}
    Wait For Event    AgentState_Ready

Signing In With Documented Options
    [Documentation]    Fields of the sign-in table that have no argument of their own go as named arguments.
    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}    70001    agent_type=4    ip=10.0.0.5
    ...    checkInWebm=false    listenStatus=true
    Wait For Event    AgentState_Ready

An Unknown Sign In Field Is Refused Before Sending
    [Documentation]    FAIL GLOB: login request is invalid, not sent: body.phoneColour: not a field of this interface (allowed: agenttype, autoanswer, *, vcPhoneNumber)
    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}    70001    phoneColour=red

Sign In Without A Phone Is Refused
    [Documentation]    FAIL Sign In Agent: phone is required (only ccs_only=True signs in without a phone).
    Sign In Agent    ${FIRST_AGENT}    ${AGENT_PASSWORD}

Sign Out With A Reason
    [Documentation]    forceLogoutWithReason signs the agent out; a later request is refused.
    Sign In First Agent
    Sign Out Agent    reason=7
    ${reply}=    Send Raw Request    getAgentStatus    send_guid=False
    Should Be Equal    ${reply}[retcode]    100-006

Sign Out Of A Talking Agent Is Refused Unless Forced
    [Documentation]    FAIL GLOB: logout failed for agent ${FIRST_AGENT}: retcode 100-010 (agent state does not allow sign-out), expected 0 (success).*
    [Tags]    simulator-only
    Sign In First Agent
    Simulate Inbound Call    caller=88880001    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing
    Answer Call
    Sign Out Agent

Skill Queues After Sign In
    [Documentation]    resetSkill chooses the queues among the configured ones; queryAgentSkills lists them.
    [Tags]    skills
    Sign In First Agent
    Reset Skills    all_configured=True
    ${all}=    Get Agent Skills    validate    len(value) > 0
    Reset Skills    ${all}[0][id]
    Get Agent Skills    validate    [skill['id'] for skill in value] == [$all[0]['id']]
    Reset Skills
    Get Agent Skills    ==    ${{[]}}

Another Agent's Skill Queues
    [Documentation]    queryAgentSkillsByWorkNo answers for another agent of the same VDN.
    [Tags]    skills
    Sign In First Agent
    Get Agent Skills    validate    len(value) > 0    of_agent=102

Sign Out All Agents Reports Each Agent
    [Documentation]    LOG 3:* INFO Signed out agent 102 ('second').
    Sign In Agent    101    ${AGENT_PASSWORD}    70001    alias=first
    Sign In Agent    102    ${AGENT_PASSWORD}    70002    alias=second
    Sign Out All Agents
    ${reply}=    Send Raw Request    getAgentStatus    agent=first
    Should Be Equal    ${reply}[retcode]    100-006

A Sign Out After The Guid Expired Signs The Agent Out For Real
    [Documentation]    The gateway refuses the expired Guid, so the agent is signed in again by force and out;
    ...    the next sign-in is accepted instead of being refused with 100-002.
    ...
    ...    LOG 3:* INFO GLOB: forceLogout DELETE * retcode 000-003 *
    ...    LOG 3:* INFO Signed out agent ${FIRST_AGENT} (its Guid was refused, 000-003 (no right to call the interface; authentication (Guid) may have expired): signed in again by force and out).
    [Tags]    simulator-only
    Sign In First Agent
    Simulate Guid Expiry    ${FIRST_AGENT}
    Sign Out Agent    force=True
    Sign In First Agent
