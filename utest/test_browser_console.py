"""Headless Chromium opens the simulator's console as a tester would, on a simulator with a control token given in
the address's fragment, while the library drives agents: an agent the library signs in appears within a second,
the page's buttons make the library receive the events, a call its Ring queue button queues while no agent is free
shows in the queue within a second and the agent who becomes ready takes it, recording, a conference and a text
session show (the session's messages as counts), and no secret or message text appears in the page or its traffic
(the token only in the one WebSocket message that presents it). Screenshot: atest/results/console.png (with
CCGW_DOCS_SCREENSHOT=1 also docs/console.png, the user guide's).

Needs Debian's ``chromium`` and ``chromium-driver`` and selenium (dev extra); skipped without them unless
CCGW_BROWSER_CHECK=required.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from browser import REPO, WAIT, open_browser, png_size, screenshot_dir
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.simulator.model import SimulatorConfig
from CCGatewayLibrary.simulator.roster import Roster
from CCGatewayLibrary.simulator.runner import SimulatorRunner

TOKEN = "console-token-7d41c09e55ab"
AGENT, COLLEAGUE, SUPERVISOR, CHAIR, MEMBER = "101", "102", "900", "103", "104"
CUSTOMER, FAR_NUMBER, QUEUED_CALLER = "88880001", "88880009", "88880002"
WRITER, MESSAGE = "88880005", "my card number is 4000 1234 5678 9010"  # what a customer writes: personal data
BILLING, NOBODYS = "2", "3"  # roster skill queues: every agent has billing, no agent has sales
APPEARS_WITHIN = 1.0  # seconds from the sign-in's reply to the agent's row on the page


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    yield from open_browser(tmp_path_factory, traffic=True)


@pytest.fixture(scope="module")
def centre() -> Iterator[tuple[SimulatorRunner, CCGatewayLibrary]]:
    """A simulator with a control token, and the library using it (the token given as a Secret)."""
    runner = SimulatorRunner(SimulatorConfig(poll_wait=1.0), control_token=TOKEN)
    endpoint = runner.start_in_thread()
    library = CCGatewayLibrary(event_timeout=timedelta(seconds=5))
    library.use_gateway(endpoint.url, str(endpoint.ca_file), control_token=Secret(TOKEN))
    yield runner, library
    library.ctx.shut_down()
    runner.stop()


def _password() -> str:
    return Roster.load().password_of(AGENT)


def _sign_in(library: CCGatewayLibrary, agent_id: str, phone: str) -> None:
    library.sign_in_agent(agent_id, Secret(Roster.load().password_of(agent_id)), phone, alias=agent_id)
    library.wait_for_event("AgentState_Ready", agent=agent_id)


def _wait(browser: Any, what: str, find: Any, timeout: float = WAIT) -> Any:
    """What ``find`` gives once it is true; a row the page replaced meanwhile is simply looked up again."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, poll_frequency=0.02, ignored_exceptions=[StaleElementReferenceException]
                         ).until(lambda _: find(), message=what)


def _row(browser: Any, table: str, key: str) -> Any:
    from selenium.webdriver.common.by import By

    found = browser.find_elements(By.CSS_SELECTOR, f"#{table} tbody tr[data-key='{key}']")
    return found[0] if found else None


def _click(browser: Any, table: str, key: str, text: str) -> None:
    """Clicks the button ``text`` in the row ``key`` of ``table``, as the page shows it now."""
    from selenium.webdriver.common.by import By

    def click() -> bool:
        row = _row(browser, table, key)
        buttons = [b for b in row.find_elements(By.CSS_SELECTOR, "button") if b.text == text] if row else []
        if buttons:
            buttons[0].click()
        return bool(buttons)

    _wait(browser, f"button {text} of {key}", click)


def _traffic(browser: Any) -> tuple[list[str], list[str], list[str]]:
    """Frames the page sent and received over WebSockets, and the URLs it requested, since the last call."""
    sent, received, urls = [], [], []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.webSocketFrameSent":
            sent.append(params["response"]["payloadData"])
        elif message["method"] == "Network.webSocketFrameReceived":
            received.append(params["response"]["payloadData"])
        elif message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.append(params.get("request", {}).get("url") or params.get("url", ""))
    return sent, received, urls


def test_the_console_shows_the_centre_live_drives_it_and_keeps_its_secrets(
        browser: Any, centre: tuple[SimulatorRunner, CCGatewayLibrary]) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    runner, library = centre
    console = runner.console_url()
    browser.set_window_size(1400, 1050)
    browser.get("about:blank")
    browser.get_log("performance")  # start the traffic record here
    browser.get(f"{console}#token={TOKEN}")
    _wait(browser, "the console signed in and live",
          lambda: browser.find_element(By.ID, "status").text == "live" and browser.find_element(By.ID, "main")
          .is_displayed())
    assert TOKEN not in browser.current_url, "the token stays in the address bar"

    # An agent the library signs in appears within a second.
    _sign_in(library, AGENT, "70001")
    signed_in = time.monotonic()
    row = _wait(browser, "agent 101's row",
                lambda: (found := _row(browser, "agents", AGENT)) is not None and found.text, timeout=5)
    appeared = time.monotonic() - signed_in
    assert appeared < APPEARS_WITHIN, f"agent {AGENT} appeared after {appeared:.3f} s"
    assert "idle" in row and "70001" in row and "defaultMediaSkill" in row, row

    # The Ring button: the library receives the call.
    caller = browser.find_element(By.ID, "caller")
    caller.clear()
    caller.send_keys(CUSTOMER)
    _click(browser, "agents", AGENT, "Ring")
    ringing = library.wait_for_event("AgentEvent_Ringing", agent=AGENT)
    library.answer_call(agent=AGENT)
    library.wait_for_event("AgentEvent_Talking", agent=AGENT)

    # A supervisor listens in, a colleague holds a call, the agent mutes and records: the page shows each.
    _sign_in(library, SUPERVISOR, "70900")
    library.listen_to_agent(AGENT, agent=SUPERVISOR)
    library.mute_call(agent=AGENT)
    library.start_recording(agent=AGENT)
    _sign_in(library, COLLEAGUE, "70002")
    library.call_out(FAR_NUMBER, agent=COLLEAGUE)
    library.wait_for_event("AgentEvent_Talking", agent=COLLEAGUE)
    library.hold_call(agent=COLLEAGUE)
    callid = str(ringing["content"]["callid"])
    call = _wait(browser, "the call with its monitor", lambda: (found := _row(browser, "calls", callid)) is not None
                 and "listen" in found.text and "muted" in found.text and found)
    assert f"agent {AGENT} (70001): agent" in call.text and f"{CUSTOMER}: customer" in call.text, call.text
    _wait(browser, "the recording", lambda: "muted, recording" in _row(browser, "calls", callid).text)
    _wait(browser, "agent 101 inspected", lambda: f"listen by {SUPERVISOR}" in _row(browser, "agents", AGENT).text)
    _wait(browser, "the held call",
          lambda: f"agent {COLLEAGUE} (70002): agent, held" in browser.find_element(By.ID, "calls").text)

    # The fault form arms a fault the library then meets; the far-end form sets a number busy.
    Select(browser.find_element(By.ID, "fault-kind")).select_by_value("retcode")
    for field, value in (("fault-interface", "sayBusy"), ("fault-agent", COLLEAGUE), ("fault-value", "100-007")):
        browser.find_element(By.ID, field).clear()
        browser.find_element(By.ID, field).send_keys(value)
    browser.find_element(By.CSS_SELECTOR, "#fault-form button[type=submit]").click()
    browser.find_element(By.ID, "far-end-number").send_keys("88880077")
    Select(browser.find_element(By.ID, "far-end-behaviour")).select_by_value("busy")
    browser.find_element(By.CSS_SELECTOR, "#far-end-form button[type=submit]").click()
    _wait(browser, "the armed fault and the far end", lambda: _row(browser, "far-ends", "88880077") is not None
          and "sayBusy" in browser.find_element(By.ID, "faults").text)
    assert runner.simulator.faults[0].describe() == {"fault": "retcode", "interface": "sayBusy", "agent": COLLEAGUE,
                                                     "value": "100-007", "count": 1}
    _wait(browser, "the event log", lambda: "AgentOther_BeQcStart" in browser.find_element(By.ID, "events").text)

    # Ring queue while every agent with the skill is busy: the call waits, on the page within a second.
    caller.clear()
    caller.send_keys(QUEUED_CALLER)
    _click(browser, "queues", BILLING, "Ring queue")
    rung = time.monotonic()
    waiting = _wait(browser, "the call waiting in the billing queue", lambda: (found := _row(
        browser, "queues", BILLING)) is not None and f"from {QUEUED_CALLER}" in found.text and found.text, timeout=5)
    shown = time.monotonic() - rung
    assert shown < APPEARS_WITHIN, f"the queued call showed after {shown:.3f} s"
    assert "0 free of 3" in waiting and "1 · 0 · 0" in waiting, waiting
    _wait(browser, "the call waiting, in the calls", lambda: f"{QUEUED_CALLER}: customer, waiting in billingQueue"
          in browser.find_element(By.ID, "calls").text)
    # A customer writes to the supervisor: the session shows, with a count of messages and never their text.
    session = library.simulate_customer_message(MESSAGE, WRITER, agent=SUPERVISOR)
    text_row = _wait(browser, "the text session", lambda: (found := _row(browser, "text-sessions", session))
                     is not None and found.text)
    assert WRITER in text_row and "offered" in text_row and "1 from the customer, 0 from agents" in text_row, text_row
    _wait(browser, "the longest wait counting", lambda: " s" in _row(browser, "queues", BILLING).find_element(
        By.CSS_SELECTOR, ".longest").text)
    folder = screenshot_dir()
    browser.execute_script("window.scrollTo(0, 0)")
    _wait(browser, "the rows' highlight and the notes faded", lambda: browser.execute_script(
        "return document.getAnimations().length === 0 && !document.querySelector('.toast')"))
    assert browser.save_screenshot(str(folder / "console.png"))
    assert png_size(folder / "console.png")[0] >= 1000
    if os.environ.get("CCGW_DOCS_SCREENSHOT"):
        shutil.copyfile(folder / "console.png", REPO / "docs" / "console.png")

    # A caller waiting where no agent has the skill gives up from the page.
    _click(browser, "queues", NOBODYS, "Ring queue")
    _wait(browser, "the call waiting in the sales queue", lambda: f"from {QUEUED_CALLER}" in _row(
        browser, "queues", NOBODYS).text)
    _click(browser, "queues", NOBODYS, "Give up")
    _wait(browser, "the sales queue empty, the call abandoned", lambda: "1 · 0 · 1" in (
        sales := _row(browser, "queues", NOBODYS).text) and "from" not in sales)

    # The Hang up button: the library receives the customer's release; the agent, ready again (or the supervisor,
    # no longer listening), takes the waiting call and the queue empties within a second.
    _click(browser, "calls", callid, f"Hang up {CUSTOMER}")
    hung_up = time.monotonic()
    library.wait_for_event("AgentEvent_Customer_Release", agent=AGENT)
    _wait(browser, "the call gone", lambda: _row(browser, "calls", callid) is None)
    _wait(browser, "the billing queue empty", lambda: "from" not in _row(browser, "queues", BILLING).text
          and "1 · 0 · 0" in _row(browser, "queues", BILLING).text)
    emptied = time.monotonic() - hung_up
    assert emptied < APPEARS_WITHIN, f"the queue emptied after {emptied:.3f} s"
    taken = _wait(browser, "the queued call with its agent", lambda: next(
        (row.text for row in browser.find_elements(By.CSS_SELECTOR, "#calls tbody tr")
         if f"{QUEUED_CALLER}: customer" in row.text and "agent" in row.text.split(QUEUED_CALLER, 1)[1]), None))
    taker = AGENT if f"agent {AGENT} " in taken else SUPERVISOR
    library.wait_for_event("AgentEvent_Ringing", agent=taker)

    # A conference: its call names its ID, chairperson and members joined of its seats, the chair's leg marked.
    _sign_in(library, CHAIR, "70003")
    _sign_in(library, MEMBER, "70004")
    library.start_conference(seats=3, agent=CHAIR)
    library.add_conference_participants(f"agent:{MEMBER}", agent=CHAIR)
    library.wait_for_event("AgentConf_Ringing", agent=MEMBER)
    library.answer_conference_invitation(agent=MEMBER)
    conference = _wait(browser, "the conference's call", lambda: next(
        (row.text for row in browser.find_elements(By.CSS_SELECTOR, "#calls tbody tr") if "conference" in row.text
         and f"2 of 3 seats, chair {CHAIR}" in row.text), None))
    assert f"agent {CHAIR} (70003): agent (chair)" in conference and f"agent {MEMBER} (70004): agent," in conference

    # No secret in the page or its traffic; the token only in the hello that presents it.
    sent, received, urls = _traffic(browser)
    secrets = {"control token": TOKEN, "password": _password(), "customer's message": MESSAGE,
               **{f"Guid {index}": guid for index, guid in enumerate(runner.simulator.model.issued_guids)}}
    assert len(secrets) >= 5
    page = browser.page_source + browser.current_url + json.dumps(browser.get_log("browser"))
    for name, secret in secrets.items():
        assert secret not in page, f"the {name} is in the page"
        assert not any(secret in frame for frame in received), f"the {name} reached the page"
        assert not any(secret in url for url in urls), f"the {name} is in a URL the page requested"
    hellos = [frame for frame in sent if TOKEN in frame]
    assert [json.loads(frame)["type"] for frame in hellos] == ["hello"], hellos
    for name, secret in secrets.items():
        if name != "control token":
            assert not any(secret in frame for frame in sent), f"the page sent the {name}"
    for action in ("offer_call", "queue_call", "give_up"):
        assert any(f'"action":"{action}"' in frame.replace(" ", "") for frame in sent), action


def test_without_the_token_the_console_asks_for_it_and_shows_nothing(
        browser: Any, centre: tuple[SimulatorRunner, CCGatewayLibrary]) -> None:
    from selenium.webdriver.common.by import By

    runner, _ = centre
    browser.get("about:blank")
    browser.get(runner.console_url())
    form = _wait(browser, "the sign-in form", lambda: (found := browser.find_element(By.ID, "signin")).is_displayed()
                 and found)
    assert not browser.find_element(By.ID, "main").is_displayed()
    browser.find_element(By.ID, "token").send_keys("not-the-token")
    form.find_element(By.CSS_SELECTOR, "button").click()
    _wait(browser, "the refusal", lambda: "not the simulator's control token" in
          browser.find_element(By.ID, "signin-error").text)
    assert not browser.find_element(By.ID, "main").is_displayed()
    assert browser.find_element(By.ID, "token").get_attribute("value") == ""
    browser.find_element(By.ID, "token").send_keys(TOKEN)
    form.find_element(By.CSS_SELECTOR, "button").click()
    _wait(browser, "the console", lambda: browser.find_element(By.ID, "main").is_displayed())
    assert TOKEN not in browser.page_source


def test_a_thousand_agents_come_a_page_at_a_time_and_the_filter_finds_one_at_once(
        browser: Any, centre: tuple[SimulatorRunner, CCGatewayLibrary]) -> None:
    from selenium.webdriver.common.by import By

    runner, _ = centre
    model, loop = runner.simulator.model, runner._loop
    assert loop is not None

    async def sign_in_everyone() -> None:  # on the simulator's loop, where the model lives
        for agent_id in model.roster.entries:
            if not model.agent(agent_id).signed_in:
                model.login(agent_id, {"password": model.roster.password_of(agent_id), "phonenum": "7" + agent_id})

    asyncio.run_coroutine_threadsafe(sign_in_everyone(), loop).result(60)
    browser.get("about:blank")
    browser.get(f"{runner.console_url()}#token={TOKEN}")
    rows = "#agents tbody tr"
    _wait(browser, "the first page", lambda: len(browser.find_elements(By.CSS_SELECTOR, rows)) == 50
          and "1000 signed in" in browser.find_element(By.ID, "agents-count").text)

    def next_page() -> bool:  # the pager is drawn again with each update: a button found may be gone at the click
        browser.find_elements(By.CSS_SELECTOR, "#agents-pager button")[1].click()
        return True

    _wait(browser, "the pager's next button", next_page)
    _wait(browser, "the second page", lambda: browser.find_element(By.CSS_SELECTOR, rows).get_attribute("data-key")
          == "151" and "page 2 of 20" in browser.find_element(By.ID, "agents-pager").text)
    typed = time.monotonic()
    browser.find_element(By.ID, "filter").send_keys("71099")
    _wait(browser, "the one agent", lambda: [row.get_attribute("data-key") for row in
                                             browser.find_elements(By.CSS_SELECTOR, rows)] == ["1099"])
    found = time.monotonic() - typed
    assert found < APPEARS_WITHIN, f"the filter took {found:.3f} s"
    # the page keeps one page of rows, however many agents there are
    assert browser.execute_script("return document.querySelectorAll('tr').length") < 200
