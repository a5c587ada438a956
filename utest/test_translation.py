"""The library in Simplified Chinese (``language=zh-CN``): PythonLibCore gives the most used keywords their Chinese
names and documentation, the rest keep English ones, and every link in the Chinese documentation leads somewhere."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest
from robot.libdocpkg import LibraryDocumentation
from robot.utils import html_format

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError
from CCGatewayLibrary.reporting.audit import FORGETS_AGENTS
from CCGatewayLibrary.translation import keyword_translation, translation_file

LINK = re.compile(r"(?<!`)`([^`]+)`(?!`)")  # `Keyword`, not ``code``
HEADING = re.compile(r"^= (.+) =$", re.M)


@cache
def _table() -> dict[str, dict[str, str]]:
    return json.loads(translation_file("zh-CN").read_text(encoding="utf-8"))


@cache
def _libraries() -> tuple[CCGatewayLibrary, CCGatewayLibrary]:
    return CCGatewayLibrary(), CCGatewayLibrary(language="zh-CN")


def test_the_chinese_library_names_the_translated_keywords_in_chinese_and_keeps_the_others() -> None:
    english, chinese = _libraries()
    assert len(chinese.get_keyword_names()) == len(english.get_keyword_names())
    names = set(chinese.get_keyword_names())
    for method, entry in _table().items():
        if method.startswith("__"):
            continue
        assert entry["name"] in names, entry["name"]
    assert {"座席签入", "等待事件", "启动网关模拟器"} <= names
    assert "sign_in_agent" not in names and "send_raw_request" in names  # English names are the methods
    assert chinese.get_keyword_documentation("座席签入").startswith("让工号为")
    assert chinese.get_keyword_documentation("__intro__").startswith("CCGatewayLibrary 用于测试")


def test_every_entry_translates_a_keyword_of_the_library_once() -> None:
    english, _ = _libraries()
    methods = {name for name in dir(english) if callable(getattr(english, name, None))
               and hasattr(getattr(english, name), "robot_name")}
    table = _table()
    assert {"__intro__", "__init__"} <= table.keys()
    unknown = sorted(set(table) - methods - {"__intro__", "__init__"})
    assert unknown == [], f"translations for no keyword method: {unknown}"
    names = [entry["name"] for method, entry in table.items() if not method.startswith("__")]
    assert len(names) >= 20 and len(set(names)) == len(names)
    assert all(table[method].get("doc") for method in table)
    assert not set(names) & set(english.get_keyword_names())


@cache
def _chinese_spec() -> dict[str, Any]:
    return json.loads(LibraryDocumentation("CCGatewayLibrary::language=zh-CN").to_json())


def test_every_link_in_the_chinese_documentation_leads_to_a_keyword_a_section_or_a_type() -> None:
    spec = _chinese_spec()
    targets = {kw["name"] for kw in spec["keywords"]} | {t["name"] for t in spec["typedocs"]}
    targets |= set(HEADING.findall(_table()["__intro__"]["doc"]))
    broken = {method: sorted(set(LINK.findall(entry["doc"])) - targets) for method, entry in _table().items()}
    assert {method: links for method, links in broken.items() if links} == {}


def test_an_unknown_language_is_refused_naming_the_argument_and_the_choices() -> None:
    with pytest.raises(CCGatewayError, match=r"language: 'fr' is not one of en, zh-CN"):
        keyword_translation("fr")
    assert keyword_translation("en") is None


def test_the_log_audit_knows_the_simulator_stop_in_chinese() -> None:
    assert {"Stop Gateway Simulator", "停止网关模拟器"} <= FORGETS_AGENTS


def test_the_chinese_documentation_renders_its_code() -> None:
    """Robot's doc syntax sees ``code`` only between spaces (or ASCII punctuation); Chinese text has none, so the
    translation puts spaces around it, else the page shows the backquotes."""
    raw = {method for method, entry in _table().items() if "``" in html_format(entry["doc"])}
    assert raw == set(), sorted(raw)
    assert "``" in html_format("给出 ``url``\uff08以及")  # what the check catches: a full-width bracket after
