*** Settings ***
Documentation     Teams of agents reserved from a pool file (${AGENT_POOL}), as parallel runs against a
...               real gateway need them: each agent can be signed in only once. ${POOL_GATEWAY_URL} names a gateway
...               shared by several runs (atest/distributed.py); by default the suite starts its own simulator.

Resource          ../resources/common.resource

Suite Setup       Open Pool Gateway
Suite Teardown    Close Gateway Under Test
Test Teardown     Sign Out All Agents

Test Tags         pool


*** Variables ***
# Against a real gateway, CCGW_AGENT_POOL names a pool of its agents, tagged as the default pool of simulator
# agents is: at least 2 "desk", exactly 2 "supervisor" and 1 "solo".
${AGENT_POOL}          %{CCGW_AGENT_POOL=${CURDIR}/../resources/agent_pool.json}
${POOL_GATEWAY_URL}    ${EMPTY}
${POOL_GATEWAY_CA}     ${EMPTY}


*** Test Cases ***
A Reserved Team Signs In And Calls Each Other
    [Documentation]    Two agents of the pool sign in with what the reservation returns and talk to each other.
    ${team}=    Reserve Agents    count=2    tags=desk    deadline=1 min
    Team Calls Each Other    ${team}

Another Team Works At The Same Time
    [Documentation]    Run in parallel with the test above (pabot --testlevelsplit), it waits for free agents.
    ${team}=    Reserve Agents    count=2    tags=desk    deadline=1 min
    Team Calls Each Other    ${team}

A Third Team Takes Its Turn
    [Documentation]    A supervisor and a desk agent: tags narrow the choice.
    ${supervisor}=    Reserve Agents    count=1    tags=supervisor    deadline=1 min
    ${desk}=    Reserve Agents    count=1    tags=desk    deadline=1 min
    Should Contain    ${supervisor}[0][tags]    supervisor
    Team Calls Each Other    ${{ [$supervisor[0], $desk[0]] }}

Two Reservations In One Test Get Different Agents
    [Documentation]    An agent this test holds is not handed out again, also not to the same test.
    ${first}=    Reserve Agents    tags=supervisor
    ${second}=    Reserve Agents    tags=supervisor
    Should Not Be Equal    ${first}[0][id]    ${second}[0][id]

A Team Larger Than The Pool Is Refused At Once
    [Documentation]    FAIL GLOB: Reserve Agents: agent pool * has 2 agent(s) tagged supervisor, 3 wanted.
    Reserve Agents    count=3    tags=supervisor

A Held Agent Is Not Handed Out Before The Deadline
    [Documentation]    FAIL GLOB: Reserve Agents: no 1 agent tagged solo free in * within 0.5 s (reservations kept by *; this process holds *).
    Reserve Agents    tags=solo
    Reserve Agents    tags=solo    deadline=0.5 s

Agents Come Back When A Failed Test Ends
    [Documentation]    The test above failed holding the only solo agent; it went back to the pool when that test
    ...    ended (run in the same process, this reservation would wait in vain otherwise).
    ${again}=    Reserve Agents    tags=solo    deadline=1 min
    Release Agents
    ${once_more}=    Reserve Agents    tags=solo    deadline=5 s
    Should Be Equal    ${once_more}[0][id]    ${again}[0][id]


*** Keywords ***
Open Pool Gateway
    [Documentation]    The gateway shared by several runs when one is given, else the suites' usual one.
    Use Agent Pool    ${AGENT_POOL}
    IF    $POOL_GATEWAY_URL
        Use Gateway    ${POOL_GATEWAY_URL}    ca_bundle=${POOL_GATEWAY_CA}
    ELSE
        Open Gateway Under Test
    END

Team Calls Each Other
    [Documentation]    Both agents of ``team`` sign in; the first calls the second, who answers; the call ends.
    [Arguments]    ${team}
    Sign In Agent    ${team}[0][id]    ${team}[0][password]    ${team}[0][phone]    alias=caller
    Sign In Agent    ${team}[1][id]    ${team}[1][password]    ${team}[1][phone]    alias=callee
    Wait For Event On Agents    AgentState_Ready    caller    callee
    ${call}=    Call Agent    ${team}[1][id]    agent=caller
    Wait For Event    AgentEvent_Ringing    agent=callee
    Answer Call    agent=callee
    Wait For Event    AgentEvent_Talking    callid=${call}    agent=caller
    Release Call    agent=callee
    Wait For Event    AgentEvent_Call_Release    callid=${call}    agent=caller
