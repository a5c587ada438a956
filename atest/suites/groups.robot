*** Settings ***
Documentation     Agent and group queries with agents in different states: 101 talks with a customer, 102 is
...               idle, 103 busy, supervisor 900 idle (the simulator's roster: 101-899 frontline, 900-999
...               supervisors inspecting frontline, 1000-1100 backoffice, all configured for skills 1 and 2).
...               The refusals are pinned with their retcodes.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Agents In Different States
Test Teardown     Sign Out All Agents

Test Tags         agentgroup    simulator-only


*** Variables ***
${CUSTOMER_NUMBER}    88880071
${AGENT}              101
${COLLEAGUE}          102
${BUSY_AGENT}         103
${SUPERVISOR}         900
${BACK_OFFICE}        1000


*** Test Cases ***
Idle Agents Are The Ones Free For A Call
    [Documentation]    getIdleStatusAgents follows the states: the colleague going busy leaves the supervisor.
    Get Idle Agents    validate    [a['workno'] for a in value] == ['102', '900']    agent=first
    Set Agent Busy    agent=second
    Get Idle Agents    validate    [a['workno'] for a in value] == ['900']    agent=first

An Agents Details Tell Its State Group And Skills
    [Documentation]    queryAgentInfoByWorkNo for an agent in a call, an idle one and one not signed in.
    ${info}=    Get Agent Info    ${AGENT}    agent=second
    Should Be Equal As Integers    ${info}[status]    7
    Should Be Equal    ${info}[groupname]    frontline
    Should Be Equal    ${{[skill['id'] for skill in $info['skilllist']]}}    ${{[1, 2]}}
    Get Agent Info    ${COLLEAGUE}    validate    int(value['status']) == 4    agent=first
    Get Agent Info    104    validate    int(value['status']) == 2    agent=first

Agents By State And By Skill
    [Documentation]    getAgentListByStatus by name and code; agentbyskill with and without the state filter,
    ...    after the supervisor takes the colleague out of skill 2; agents configured for a skill.
    Get Agents In State    busy    validate    [a['workno'] for a in value] == ['103']    agent=first
    Get Agents In State    7    validate    [a['workno'] for a in value] == ['101']    agent=first
    Get Agents By Skill    2    validate    len(value) == 4    agent=first
    Get Agents By Skill    1    validate    [a['workno'] for a in value] == ['102']    states=${{['idle']}}
    ...    limit=1    agent=first
    Adjust Agent Skills    ${COLLEAGUE}    1    agent=lead
    Get Agents By Skill    2    validate    '102' not in [a['workno'] for a in value]    agent=first
    Get Agents By Skill    1    validate    len(value) > 100    configured=True    agent=first
    Get Online Agents By Skill    validate    [(s['skillId'], len(s['agent'])) for s in value] == [(1, 4), (2, 3)]
    ...    agent=first
    Get Agent Details In Batch    validate    len(value) == 4    agent=first
    Get Agent States    validate    {a['workno']: a['status'] for a in value}['103'] == '3'    agent=first

Groups And Their Agents
    [Documentation]    grouponvdn, groupbyagent, agentongroup and agentongroupex.
    Get Groups    validate    [g['name'] for g in value] == ['frontline', 'supervisors', 'backoffice']
    ...    agent=first
    Get Groups    validate    [g['id'] for g in value] == [1, 2, 3]    agent=first
    Get Agent Group    validate    value['name'] == 'frontline' and value['monitorno'] == 900    agent=first
    Get Agent Group    validate    value['name'] == 'backoffice'    agent_id=${BACK_OFFICE}    agent=first
    Get Agents In Group    validate    [a['workno'] for a in value] == ['101', '102', '103']    agent=first
    Get Agents In Group    validate    [a['workno'] for a in value] == ['900']    group_id=2    agent=first

Rest Reasons And Rights
    [Documentation]    The rest reasons an agent can give, and who may inspect, pick up and call out.
    ${reasons}=    Get Rest Reasons    agent=first
    Start Rest    10 minutes    ${reasons}[0][restReasonId]    agent=second
    Get Agents In State    rest    validate    [a['workno'] for a in value] == ['102']    agent=first
    Get Agent Right    censor    ==    ${True}    agent=lead
    Get Agent Right    censor    ==    ${False}    agent=first
    Get Agent Right    pick up    ==    ${True}    agent=first
    Get Agent Right    system    ==    ${False}    agent=lead

Refusals Of The Chapter
    [Documentation]    An agent (300-002) or group (300-004) the VDN does not have, a state code out of range
    ...    (000-002), an empty batch (000-002).
    Get Agent Info    99999    agent=first    expected_retcode=300-002
    Get Agent Group    agent_id=99999    agent=first    expected_retcode=300-002
    Get Agents In Group    group_id=7    agent=first    expected_retcode=300-004
    ${reply}=    Send Raw Request    getAgentListByStatus    query=${{{'status': 12}}}    agent=first
    Should Be Equal    ${reply}[retcode]    000-002
    ${reply}=    Send Raw Request    queryAgentInfoWithoutSkills    body=${{{'agentlist': []}}}    agent=first
    Should Be Equal    ${reply}[retcode]    000-002

An Unknown Agent Fails The Getter
    [Documentation]    FAIL queryAgentInfoByWorkNo failed for agent 101: retcode 300-002 (agent info not found), expected 0 (success). The gateway says: no agent 99999 in the VDN
    Get Agent Info    99999    agent=first

An Assertion That Does Not Hold Names The Getter
    [Documentation]    FAIL GLOB: Get Idle Agents: idle agents * (tried * times in *)
    Get Idle Agents    validate    len(value) == 5    agent=first

Listed Routes Answer From The Roster
    [Documentation]    Listed-only routes without a vendor page: agent IDs of a skill, a batch without skills, the
    ...    configured names, the rights of a supervisor.
    ${reply}=    Send Raw Request    queryAgentIdsBySkillId    path_params=${{{'skillid': '1'}}}    agent=first
    Should Be Equal    ${reply}[result]    ${{['101', '102', '103', '900']}}
    ${reply}=    Send Raw Request    queryAgentInfoWithoutSkills    body=${{{'agentlist': ['101', '104']}}}
    ...    agent=first
    Should Be Equal    ${{[a['workno'] for a in $reply['result']]}}    ${{['101', '104']}}
    ${reply}=    Send Raw Request    queryAllAgentWasNameOnVdn    agent=first
    Should Be True    len($reply['result']) > 900
    FOR    ${route}    IN    isMonitor    isSpyMonitor    isReportManager    isCallOut
        ${reply}=    Send Raw Request    ${route}    agent=lead
        Should Be Equal    ${reply}[result]    ${True}
    END

Listed Routes Answer From The Live States
    [Documentation]    Listed-only routes without a vendor page that list the signed-in agents.
    FOR    ${route}    ${count}    IN
    ...    getAllStatusLocalAgents    4
    ...    queryAgentStatusAndTimeOnVDN    4
    ...    queryAgentStatusAndSkill    4
    ...    queryAllLoginedAgentInfoOnVdn    4
    ...    queryAllLoggedInAgentPhonesOnVdn    4
    ...    queryAgentRestDetailInfo    0
    ...    getAllAgentsInTextChat    0
        ${reply}=    Send Raw Request    ${route}    agent=first
        Length Should Be    ${reply}[result]    ${count}
    END


*** Keywords ***
Agents In Different States
    [Documentation]    101 (first) talks with a customer, 102 (second) is idle, 103 (third) busy, 900 (lead) idle.
    Sign In Agent    ${AGENT}    ${AGENT_PASSWORD}    70001    alias=first
    Sign In Agent    ${COLLEAGUE}    ${AGENT_PASSWORD}    70002    alias=second
    Sign In Agent    ${BUSY_AGENT}    ${AGENT_PASSWORD}    70003    alias=third    status=busy
    Sign In Agent    ${SUPERVISOR}    ${AGENT_PASSWORD}    70900    alias=lead
    Wait For Event    AgentState_Ready    agent=second
    Wait For Event    AgentState_SetNotReady_Success    agent=third
    Wait For Event    AgentState_Ready    agent=lead
    Customer Talks To Agent

Customer Talks To Agent
    [Documentation]    The customer calls agent 101, who answers.
    ${customer}=    Simulate Inbound Call    caller=${CUSTOMER_NUMBER}    agent=first
    Wait For Event    AgentEvent_Ringing    callid=${customer}    agent=first
    Answer Call    agent=first
    Wait For Event    AgentEvent_Talking    callid=${customer}    agent=first
