"""Headless Chromium opens the committed keyword reference (docs/CCGatewayLibrary.html) as a reader would: the
table of contents, the section headings, the examples (code in the introduction, tables in keywords) and the
links between keywords must render as such, not as Robot's markup. A screenshot goes to
atest/results/keyword-reference.png."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import WAIT, open_browser, png_size, screenshot_dir

PAGE = Path(__file__).resolve().parents[1] / "docs" / "CCGatewayLibrary.html"
RAW_MARKUP = ("%TOC%", "= The gateway under test =", "| `Sign In Agent` |", "``")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    yield from open_browser(tmp_path_factory)


@pytest.fixture(scope="module")
def page(browser: object) -> object:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(PAGE.as_uri())
    WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".keywords .kw-row, "
                                                                                       "#keywords-container")))
    return browser


def test_the_introduction_renders_its_headings_contents_and_tables(page: object) -> None:
    from selenium.webdriver.common.by import By

    intro = page.find_element(By.ID, "introduction-container")
    text = intro.text
    for raw in RAW_MARKUP:
        assert raw not in text, f"raw markup {raw!r} is shown in the introduction"
    headings = [h.text for h in intro.find_elements(By.CSS_SELECTOR, "h2, h3") if h.is_displayed()]
    assert "The gateway under test" in headings and "Agents" in headings, headings
    contents = intro.find_elements(By.CSS_SELECTOR, "ul a[href^='#']")
    assert len(contents) >= 5 and all(link.is_displayed() for link in contents[:5])
    examples = intro.find_elements(By.CSS_SELECTOR, "pre")
    assert examples and "*** Settings ***" in examples[0].text, "no example rendered as code in the introduction"
    linked = {link.text for example in examples for link in example.find_elements(By.CSS_SELECTOR, "a")}
    assert {"Set Agent Ready", "Wait For Event"} <= linked, linked
    # An operator alone in a cell ("==") is a table-heading marker in Robot's doc syntax: it must still show.
    rows = [[cell.text for cell in row.find_elements(By.CSS_SELECTOR, "td")]
            for row in intro.find_elements(By.CSS_SELECTOR, "table tr")]
    assert ["Get Agent Status", "==", "idle"] in rows, rows


def test_a_keywords_docs_show_its_example_table_and_links_to_other_keywords(page: object) -> None:
    from selenium.webdriver.common.by import By

    row = page.find_element(By.CSS_SELECTOR, "[id='Make Three Party Call']")
    page.execute_script("arguments[0].scrollIntoView({block: 'start'})", row)
    doc = row.find_element(By.CSS_SELECTOR, ".kwdoc, .doc")
    assert not any(raw in doc.text for raw in RAW_MARKUP), doc.text[:300]
    cells = [cell.text for cell in doc.find_elements(By.CSS_SELECTOR, "table td")]
    assert "Make Three Party Call" in cells and "Hold Call" in cells, cells
    links = {link.text: link.get_attribute("href") for link in doc.find_elements(By.CSS_SELECTOR, "a")}
    assert links.get("Hold Call", "").endswith("#Hold%20Call"), links
    folder = screenshot_dir()
    assert page.save_screenshot(str(folder / "keyword-reference.png"))
    assert png_size(folder / "keyword-reference.png")[0] >= 800
