"""Headless Chromium for the browser checks (the log's diagram, the keyword reference).

Needs Debian's ``chromium`` and ``chromium-driver`` and selenium (dev extra). Without them a check is skipped,
unless CCGW_BROWSER_CHECK=required (set by .ci/run), where it fails. Screenshots go to atest/results/
(CCGW_SCREENSHOT_DIR to change it).
"""

from __future__ import annotations

import os
import shutil
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# CCGW_CHROMIUM and CCGW_CHROMEDRIVER point at another Chromium build and its driver.
CHROMIUM = os.environ.get("CCGW_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = os.environ.get("CCGW_CHROMEDRIVER") or shutil.which("chromedriver") or "/usr/bin/chromedriver"
REQUIRED = os.environ.get("CCGW_BROWSER_CHECK", "").lower() == "required"
# The network is closed and the check must not depend on it: no updates, sync, QUIC or first-run pages.
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-dev-shm-usage", "--window-size=1400,1000")
WAIT = 30  # seconds; generous, the machine is shared


def _missing() -> list[str]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not os.access(path, os.X_OK)]
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("selenium (pip install -e '.[dev]')")
    return missing


def open_browser(tmp_path_factory: pytest.TempPathFactory, *, traffic: bool = False) -> Iterator[object]:
    """A headless Chromium driver, for a module-scoped fixture to yield from; with ``traffic`` it records the
    page's network traffic, WebSocket frames included, for ``driver.get_log("performance")``."""
    missing = _missing()
    if missing:
        message = f"browser check needs {', '.join(missing)} (apt-get install chromium chromium-driver)"
        if REQUIRED:
            pytest.fail(message)
        pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    if traffic:
        options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(WAIT)
    try:
        yield driver
    finally:
        driver.quit()



def screenshot_dir() -> Path:
    folder = Path(os.environ.get("CCGW_SCREENSHOT_DIR") or REPO / "atest" / "results")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])
