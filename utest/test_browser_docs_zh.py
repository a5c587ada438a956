"""Headless Chromium opens the Chinese keyword reference (docs/CCGatewayLibrary.zh_CN.html): its introduction shows
Chinese headings, code and links to the Chinese keyword names, not Robot's markup, and a translated keyword's docs
link to other translated keywords. A screenshot goes to atest/results/keyword-reference-zh_CN.png (this machine may
lack CJK fonts: the check reads the page's text, not its pixels)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import WAIT, open_browser, png_size, screenshot_dir

PAGE = Path(__file__).resolve().parents[1] / "docs" / "CCGatewayLibrary.zh_CN.html"
RAW_MARKUP = ("%TOC%", "= 被测网关 =", "``", "`座席签入`")


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    for browser in open_browser(tmp_path_factory):
        browser.get(PAGE.as_uri())
        WebDriverWait(browser, WAIT).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".keywords .kw-row, "
                                                                                           "#keywords-container")))
        yield browser


def test_the_chinese_introduction_renders(page: object) -> None:
    from selenium.webdriver.common.by import By

    intro = page.find_element(By.ID, "introduction-container")
    for raw in RAW_MARKUP:
        assert raw not in intro.text, f"raw markup {raw!r} is shown in the introduction"
    headings = [h.text for h in intro.find_elements(By.CSS_SELECTOR, "h2, h3") if h.is_displayed()]
    assert {"被测网关", "座席", "获取类关键字中的断言"} <= set(headings), headings
    code = {element.text for element in intro.find_elements(By.CSS_SELECTOR, "code")}
    assert {"url", "ca_bundle", "language=zh-CN"} <= code, code
    links = {link.text: link.get_attribute("href") for link in intro.find_elements(By.CSS_SELECTOR, "a")}
    assert links.get("座席签入", "").endswith("#%E5%BA%A7%E5%B8%AD%E7%AD%BE%E5%85%A5"), links


def test_a_translated_keyword_links_to_other_translated_keywords(page: object) -> None:
    from selenium.webdriver.common.by import By

    row = page.find_element(By.CSS_SELECTOR, "[id='发起三方通话']")
    page.execute_script("arguments[0].scrollIntoView({block: 'start'})", row)
    doc = row.find_element(By.CSS_SELECTOR, ".kwdoc, .doc")
    assert "``" not in doc.text and "合并为三方通话" in doc.text, doc.text[:300]
    links = {link.text for link in doc.find_elements(By.CSS_SELECTOR, "a")}
    assert {"保持呼叫", "外呼", "等待事件"} <= links, links
    folder = screenshot_dir()
    assert page.save_screenshot(str(folder / "keyword-reference-zh_CN.png"))
    assert png_size(folder / "keyword-reference-zh_CN.png")[0] >= 800
