"""The secret registry, the scrubbing listener, URL credentials and the leak scan, value by value."""

from __future__ import annotations

import base64
import zlib
from types import SimpleNamespace

import pytest

from CCGatewayLibrary.secrets import MASK, SecretRegistry, SecretScrubber, find_leaks, readable_text, url_credentials

PW = "Sc7-Planted-Secret"


def _blob(text: str, level: int = 9) -> str:
    """A text the way Robot's log.html stores it: zlib-compressed and base64-encoded, in quotes."""
    return '"' + base64.b64encode(zlib.compress(text.encode("utf-8"), level)).decode("ascii") + '"'


@pytest.fixture
def scrubber() -> SecretScrubber:
    registry = SecretRegistry()
    registry.register(PW)
    return SecretScrubber(registry)


def test_every_listener_hook_masks_and_keeps_the_rest(scrubber: SecretScrubber) -> None:
    message = SimpleNamespace(message=f"said {PW} twice {PW}")
    scrubber.log_message(message)
    assert message.message == f"said {MASK} twice {MASK}"
    for hook in (scrubber.end_test, scrubber.end_suite):
        result = SimpleNamespace(message=f"failed: {PW}.")
        hook(None, result)
        assert result.message == f"failed: {MASK}."
    keyword = SimpleNamespace(message=f"x {PW}", args=("plain", f"url=https://u:{PW}@h", 7))
    scrubber.end_library_keyword(None, None, keyword)
    assert keyword.message == f"x {MASK}"
    scrubber.start_library_keyword(None, None, keyword)
    assert keyword.args == ("plain", f"url=https://u:{MASK}@h", 7)


def test_url_credentials_in_arguments_are_registered_before_robot_logs_them() -> None:
    registry = SecretRegistry()
    keyword = SimpleNamespace(args=("https://ops:Pass:With:Colons@gw:8043", "https://Only-A-Long-Token-42@gw"))
    SecretScrubber(registry).start_library_keyword(None, None, keyword)
    assert keyword.args == (f"https://ops:{MASK}@gw:8043", f"https://{MASK}@gw")
    assert "Pass:With:Colons" in registry and "Only-A-Long-Token-42" in registry


@pytest.mark.parametrize(("text", "expected"), [
    ("https://user:pa:ss@host/x", ["pa:ss"]),
    ("https://a-long-token-0123456@host", ["a-long-token-0123456"]),
    ("https://admin@host", []),  # a user name alone is no secret, and masking "admin" would mask every admin
    ("https://admin:@host", []),
    ("see https://a:b1@h and ftp://c:d2@i", ["b1", "d2"]),
    ("https://host:8043/path?x=a@b", []),
    ("mail me at user@example.com", []),
])
def test_url_credentials(text: str, expected: list[str]) -> None:
    assert url_credentials(text) == expected


def test_short_values_are_not_registered() -> None:
    registry = SecretRegistry()
    registry.register("abc")
    registry.register("abcd")
    assert "abc" not in registry and "abcd" in registry
    assert registry.scrub("abc abcd") == f"abc {MASK}"


def test_longer_secret_is_masked_before_a_shorter_one_inside_it() -> None:
    registry = SecretRegistry()
    registry.register("hunter22")
    registry.register("hunter22-and-more")
    assert registry.scrub("hunter22-and-more") == MASK


def test_leak_scan_reads_compressed_html_and_skips_broken_blobs() -> None:
    page = "var x = " + '"eNqAAAAbroken"' + ", " + _blob(f"message with {PW} in it ü") + ";"
    assert PW not in page
    assert find_leaks(page, [PW]) == ["Sc7... (known secret)"]
    text = readable_text(page)
    assert f"message with {PW} in it ü" in text


def test_leak_scan_finds_escaped_forms_only() -> None:
    value = 'quo"te&amp<'
    assert find_leaks('"quo\\"te&amp<"', [value]) == ["quo... (known secret)"]  # JSON-escaped
    assert find_leaks("quo&quot;te&amp;amp&lt;", [value]) == ["quo... (known secret)"]  # HTML-escaped
    assert find_leaks("quote amp", [value]) == []


@pytest.mark.parametrize("level", [0, 1, 2, 6, 9])
def test_leak_scan_reads_every_compression_level(level: int) -> None:
    assert find_leaks(f"x = [{_blob(f'{PW} {level}' * 3, level)}]", [PW]) == ["Sc7... (known secret)"]


def test_quotes_escaped_by_a_surrounding_repr_are_masked() -> None:
    registry = SecretRegistry()
    registry.register("pw'word9")
    assert "word9" not in registry.scrub(repr(["say \"hi\"", "pw'word9"]) + repr("\"pw'word9\""))
