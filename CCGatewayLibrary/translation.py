"""Keyword names and documentation in other languages, through PythonLibCore's translation support: the library's
``language`` import argument picks a file ``translations/<language>.json`` (``zh-CN``: ``zh_CN.json``) that maps
keyword methods, ``__intro__`` and ``__init__`` to a ``name`` and a ``doc``. English, the source language, needs no
file."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Literal, get_args

from .errors import CCGatewayError

Language = Literal["en", "zh-CN"]
SOURCE_LANGUAGE: Language = "en"
FOLDER = Path(__file__).resolve().parent / "translations"


def translation_file(language: str) -> Path:
    return FOLDER / f"{language.replace('-', '_')}.json"


@cache
def keyword_translation(language: str) -> dict[str, dict[str, str]] | None:
    """PythonLibCore's translation for ``language``: None for English."""
    if language == SOURCE_LANGUAGE:
        return None
    if language not in get_args(Language):
        raise CCGatewayError(f"language: {language!r} is not one of {', '.join(get_args(Language))}.")
    path = translation_file(language)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        # PythonLibCore would only warn and fall back to English; a broken package should say so.
        raise CCGatewayError(f"language: cannot read the translation {path.name} ({error}).") from None
    return data


def translated_names(method: str) -> set[str]:
    """The keyword names ``method`` has in every language, English excepted (for code that reads results)."""
    names = set()
    for language in get_args(Language):
        table = keyword_translation(language) or {}
        if table.get(method, {}).get("name"):
            names.add(table[method]["name"])
    return names
