*** Settings ***
Documentation     Steps of the voice-call chapter the gateway refuses, each with its documented retcode: negative
...               tests written with expected_retcode, and raw requests for interfaces without a keyword.

Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test
Test Setup        Sign In First Agent
Test Teardown     Sign Out All Agents

Test Tags         call    errors    simulator-only


*** Variables ***
${NO_SUCH_CALL}    1455885056-1095


*** Test Cases ***
Nothing To Act On Without A Call
    [Documentation]    Each step that needs a call answers its own "there is no call" code.
    Release Call    legacy=True    expected_retcode=200-017
    Unmute Call    expected_retcode=200-007
    Connect Held Call    ${NO_SUCH_CALL}    expected_retcode=200-005
    Disconnect Party    88880031    expected_retcode=200-023
    Drop Call    ${NO_SUCH_CALL}    expected_retcode=200-025
    Send Digits    12    expected_retcode=100-007
    Cancel Transfer    expected_retcode=200-012
    Reject Call    expected_retcode=200-002
    Get Call Info    ==    ${{{}}}

A Ringing Call Cannot Be Held
    [Documentation]    hold answers 200-014 while the call rings (manual answer).
    ${customer}=    Simulate Inbound Call    caller=88880032    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing    callid=${customer}
    Hold Call    expected_retcode=200-014
    Get Call Info    validate    value[0]['callid'] == $customer    before_answer=True

A Held Call Cannot Be Retrieved While Another Is Active
    [Documentation]    getHold answers 200-016 while the agent talks on another call.
    ${customer}=    Simulate Inbound Call    caller=88880033    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing    callid=${customer}
    Answer Call
    Hold Call
    ${second}=    Call Out    88880034
    Wait For Event    AgentEvent_Talking    callid=${second}
    Retrieve Call    ${customer}    expected_retcode=200-016
    Get Call Info    validate    value['called'] == '88880034'    callid=${second}

Unknown Calls And Colleagues
    [Documentation]    Queries and pick-up of calls that do not exist answer 100-007.
    Run Keyword And Expect Error    *retcode 100-007*    Get Call Info    callid=${NO_SUCH_CALL}
    Pick Up Call    102    expected_retcode=100-007

What The Simulator Has Not Got
    [Documentation]    Preview tasks, desk phones, video, queued calls, IVR number passing and speech recognition are
    ...    refused with the codes the vendor lists; interfaces without a keyword go out as raw requests.
    Preview Call Out    88880035    5    expected_retcode=000-002
    Pick Up Desk Phone    expected_retcode=100-007
    Hang Up Desk Phone    expected_retcode=100-007
    ${reply}=    Send Raw Request    adjustVideoMode    body={"mode": 0}
    Should Be Equal    ${reply}[retcode]    200-031
    ${reply}=    Send Raw Request    mediaSwitch    query={"mediaType": "3"}
    Should Be Equal    ${reply}[retcode]    100-007
    ${reply}=    Send Raw Request
    ...    requestAppointedCall
    ...    path_params={"callid": "${NO_SUCH_CALL}", "skilltype": "0"}
    Should Be Equal    ${reply}[retcode]    100-007
    ${reply}=    Send Raw Request    thirdPartyConfTransmitNum
    Should Be Equal    ${reply}[retcode]    10001
    ${reply}=    Send Raw Request    startASR    query={"callId": "${NO_SUCH_CALL}"}
    Should Be Equal    ${reply}[retcode]    200-040

A Transfer Mode The Gateway Does Not Offer, Sent Raw
    [Documentation]    The keyword refuses it before sending; sent raw, the gateway answers 000-002.
    ${customer}=    Simulate Inbound Call    caller=88880036    agent=${FIRST_AGENT}
    Wait For Event    AgentEvent_Ringing    callid=${customer}
    Answer Call
    ${reply}=    Send Raw Request    transfer    body={"devicetype": 3, "address": "1234", "mode": 2}
    Should Be Equal    ${reply}[retcode]    000-002
