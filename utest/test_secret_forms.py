"""Secrets in the forms they take inside longer texts, and the leak scan over compressed HTML outputs."""

from __future__ import annotations

import base64
import html
import json
import zlib
from collections.abc import Callable
from urllib.parse import quote

import pytest

from CCGatewayLibrary.secrets import MASK, SecretRegistry, find_leaks, url_credentials

# Texts that quote a secret the way Python, JSON, URLs and HTML do, around other text holding both quotes.
QUOTERS: dict[str, Callable[[str], str]] = {
    "repr": lambda text: repr(f'it\'s "{text}" here'),
    "ascii": lambda text: ascii(f'it\'s "{text}" here'),
    "json": lambda text: json.dumps({"note": f'say "{text}"'}),
    "json-unicode": lambda text: json.dumps({"note": f'say "{text}"'}, ensure_ascii=False),
    "url": lambda text: "https://gw/x?q=" + quote(text, safe=""),
    "html": lambda text: f'<p title="{html.escape(text)}">{html.escape(text, quote=False)}</p>',
}
# Q and Z appear nowhere else in the quoting texts: a form cut short leaves one of them visible.
SECRETS = ["Q\\back'slashZ", 'Q"dq\\xZ', "Qé-ünï/&<q>Z", "Q é\\q'x\"yZ", "Qé\x01Z", 'Q"a&bZ']


@pytest.mark.parametrize("secret", SECRETS)
@pytest.mark.parametrize("quoter", list(QUOTERS))
def test_a_secret_quoted_inside_a_longer_text_is_masked(secret: str, quoter: str) -> None:
    registry = SecretRegistry()
    registry.register(secret)
    masked = registry.mask(QUOTERS[quoter](secret))
    assert MASK in masked and "Q" not in masked and "Z" not in masked, masked


def test_the_longest_secret_is_masked_first_whatever_its_letters() -> None:
    registry = SecretRegistry()
    registry.register("zzzz-short")
    registry.register("aaaa-zzzz-short-bbbb")
    assert registry.mask("key aaaa-zzzz-short-bbbb end") == f"key {MASK} end"


def test_a_token_of_the_minimum_length_is_a_credential() -> None:
    assert url_credentials("https://0123456789abcdef@gw.example/") == ["0123456789abcdef"]
    assert url_credentials("https://0123456789abcde@gw.example/") == []


def test_the_leak_scan_reads_a_compressed_text_with_a_broken_byte() -> None:
    blob = base64.b64encode(zlib.compress(b"\xff leaked Scan-Pw-Planted", 9)).decode()
    assert find_leaks(f'window.output["x"] = "{blob}";', ["Scan-Pw-Planted"]) == ["Sca... (known secret)"]
