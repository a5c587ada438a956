"""Headless Chromium opens a generated log.html, expands a test and sees its sequence diagram.

Needs Debian's ``chromium`` and ``chromium-driver`` and selenium (dev extra). Without them the test is
skipped, unless CCGW_BROWSER_CHECK=required (set by .ci/run), where it fails. The screenshots go to
atest/results/ (CCGW_SCREENSHOT_DIR to change it): diagram.png (the diagram) and log-diagram.png (the page).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import WAIT, open_browser, png_size, screenshot_dir
from diagram_suite import CUSTOMER, FAILING_TEST, LANE_LABEL, PASSING_TEST, SIMULATOR_ACTIONS, SuiteRun, run_suite


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from open_browser(tmp_path_factory)


@pytest.fixture(scope="module")
def suite_run(tmp_path_factory: pytest.TempPathFactory) -> SuiteRun:
    return run_suite(tmp_path_factory.mktemp("browser-run"))


def _open_test(driver: object, log: Path, name: str) -> object:
    """Opens log.html, expands the test called ``name`` like a reader would, and returns its diagram."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get("about:blank")  # a fresh document: nothing found below can belong to the previous page
    driver.get(log.as_uri())
    wait = WebDriverWait(driver, WAIT)
    header = wait.until(ec.presence_of_element_located(
        (By.XPATH, f"//div[contains(@class, 'test')]/div[contains(@class, 'element-header')]"
                   f"[.//*[contains(@class, 'name') and normalize-space()='{name}']]")))
    test = header.find_element(By.XPATH, "..")
    diagrams = test.find_elements(By.CSS_SELECTOR, "svg.ccgw-diagram")
    if not diagrams or not diagrams[0].is_displayed():
        driver.execute_script("arguments[0].scrollIntoView()", header)
        header.click()
    svg = wait.until(lambda _: next((s for s in test.find_elements(By.CSS_SELECTOR, "svg.ccgw-diagram")
                                     if s.is_displayed()), None))
    owner = driver.execute_script("return arguments[0].closest('div.test').id", svg)
    assert owner == test.get_attribute("id"), f"the diagram found belongs to {owner}, not to {name!r}"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", svg)
    return svg


def _rendered_labels(driver: object, svg: object) -> list[tuple[str, float, float]]:
    """Each lane label's text and the size the browser drew it at."""
    return driver.execute_script(
        "return Array.from(arguments[0].querySelectorAll('text.ccgw-lane-label'))"
        ".map(t => { const b = t.getBBox(); return [t.textContent, b.width, b.height]; });", svg)


def test_the_diagram_is_visible_in_the_expanded_test_and_saved_as_a_screenshot(browser: object,
                                                                                suite_run: SuiteRun) -> None:
    svg = _open_test(browser, suite_run.log, PASSING_TEST)
    size = svg.size
    assert size["width"] > 400 and size["height"] > 200, size
    labels = _rendered_labels(browser, svg)
    assert [text for text, _, _ in labels] == [LANE_LABEL, "Gateway", "Simulator", CUSTOMER]
    assert all(width > 10 and height > 5 for _, width, height in labels), labels
    arrows = browser.execute_script(
        "return arguments[0].querySelectorAll('g.ccgw-request, g.ccgw-event').length", svg)
    assert arrows >= 10
    folder = screenshot_dir()
    assert svg.screenshot(str(folder / "diagram.png"))
    assert browser.save_screenshot(str(folder / "log-diagram.png"))
    width, height = png_size(folder / "diagram.png")
    assert width >= size["width"] - 2 and height >= size["height"] - 2, (width, height, size)


def test_the_simulators_actions_are_visible_rows_with_their_own_band(browser: object, suite_run: SuiteRun) -> None:
    svg = _open_test(browser, suite_run.log, PASSING_TEST)
    rows = browser.execute_script(
        "return Array.from(arguments[0].querySelectorAll('g.ccgw-simulator')).map(g => { const r = "
        "g.getBoundingClientRect(); const label = g.querySelectorAll('text')[1]; return [label.textContent, "
        "getComputedStyle(g.querySelector('rect')).fill, r.width, r.height, label.getBBox().width]; });", svg)
    assert [text for text, *_ in rows] == SIMULATOR_ACTIONS, rows
    assert all(fill == "rgb(245, 243, 255)" and width > 400 and height > 10 and label > 60
               for _, fill, width, height, label in rows), rows
    # Every request label fits between its agent's lane and the gateway's, keyword included.
    widths = browser.execute_script(
        "return Array.from(arguments[0].querySelectorAll('g.ccgw-request')).map(g => "
        "[g.querySelectorAll('text')[1].textContent, g.querySelectorAll('text')[1].getBBox().width]);", svg)
    assert widths and all(width < 260 for _, width in widths), widths


def test_a_failed_tests_diagram_shows_the_failed_request_highlighted(browser: object, suite_run: SuiteRun) -> None:
    svg = _open_test(browser, suite_run.log, FAILING_TEST)
    # The other test's agent has a lane too if its last poll brought an event during this test.
    assert [text for text, _, _ in _rendered_labels(browser, svg)][-2:] == ["102", "Gateway"]
    failed = browser.execute_script(
        "return Array.from(arguments[0].querySelectorAll('g.ccgw-failed')).map(g => "
        "[g.textContent, getComputedStyle(g.querySelector('rect')).fill, g.getBoundingClientRect().height]);", svg)
    assert any("hold" in text and "200-013" in text for text, _, _ in failed), failed
    assert all(fill == "rgb(254, 226, 226)" and height > 0 for _, fill, height in failed), failed
