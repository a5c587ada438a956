*** Settings ***
Documentation     The simulator's live console: the keyword returns its address, and the page is served there.
...               The page itself, live updates and buttons are tested in Chromium
...               (utest/test_browser_console.py).

Library           RequestsLibrary
Resource          ../resources/common.resource

Suite Setup       Open Gateway Under Test
Suite Teardown    Close Gateway Under Test

Test Tags         console    simulator-only


*** Test Cases ***
The Console Of The Embedded Simulator Serves Its Page
    [Documentation]    The first call starts the console on a free local port; later calls return the same address.
    ${console}=    Get Simulator Console URL
    Should Match Regexp    ${console}    ^http://127\\.0\\.0\\.1:\\d+/ccgw-sim/v1/console/$
    ${again}=    Get Simulator Console URL
    Should Be Equal    ${again}    ${console}
    ${page}=    GET    ${console}
    Should Contain    ${page.text}    <title>ccgw-sim console</title>
    Should Be Equal    ${page.headers}[Cache-Control]    no-store

Without A Simulator The Keyword Says Where The Address Is
    [Documentation]    A gateway started elsewhere (ccgw-sim in a shell) prints its console's address itself.
    Stop Gateway Simulator
    Run Keyword And Expect Error    *a ccgw-sim started from a shell prints its console's address at start.
    ...    Get Simulator Console URL
    [Teardown]    Open Gateway Under Test
