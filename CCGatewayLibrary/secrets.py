"""Secret values (passwords, Guids) and the listener that keeps them out of Robot's outputs.

Keywords take and return ``robot.api.types.Secret``; the transport redacts what it logs. The
scrubber is the safety net: every secret value is registered the moment the library receives it
and replaced in any log message, keyword or test message that might still carry it, also in the
escaped forms it takes inside repr(), JSON, URLs and HTML.
"""

from __future__ import annotations

import base64
import html
import json
import re
import threading
import zlib
from typing import Any
from urllib.parse import quote

from robot.api.types import Secret

from .transport.redaction import DEFAULT_POLICY, RedactionPolicy

MASK = "<secret>"
MIN_SECRET_LENGTH = 4  # shorter values would mask ordinary text


# The user-info of a URL (scheme://user:password@host), which must never be logged.
URL_CREDENTIALS = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://([^/?#@\s]+)@")


MIN_TOKEN_LENGTH = 16  # user-info without a colon is a token only when it is this long; else a user name


def url_credentials(text: str) -> list[str]:
    """The passwords of the URLs in ``text`` (``user:password@``), or a long token given alone (``token@``)."""
    found = []
    for info in URL_CREDENTIALS.findall(text):
        user, colon, password = info.partition(":")
        if password:
            found.append(password)
        elif not colon and len(user) >= MIN_TOKEN_LENGTH:
            found.append(user)
    return found


def escaped_forms(text: str) -> set[str]:
    """``text`` as it appears when quoted by repr(), JSON, a URL or HTML."""
    backslashed = text.replace("\\", "\\\\")
    forms = {text, repr(text)[1:-1], ascii(text)[1:-1], text.encode("unicode_escape").decode("ascii"),
             # repr() escapes a quote only when the text holds both kinds; inside a longer repr either may be
             backslashed.replace("'", "\\'"), backslashed.replace('"', '\\"'),
             json.dumps(text)[1:-1], json.dumps(text, ensure_ascii=False)[1:-1], quote(text, safe=""),
             html.escape(text), html.escape(text, quote=False)}
    return {form for form in forms if len(form) >= MIN_SECRET_LENGTH}


class SecretRegistry:
    def __init__(self, policy: RedactionPolicy = DEFAULT_POLICY) -> None:
        self.policy = policy
        self._values: set[str] = set()
        self._longest_first: tuple[str, ...] = ()  # rebuilt on register; scrub runs for every log message
        self._lock = threading.Lock()

    def register(self, value: str | Secret | None) -> None:
        text = value.value if isinstance(value, Secret) else value
        if not isinstance(text, str) or len(text) < MIN_SECRET_LENGTH:
            return
        with self._lock:
            if text not in self._values:
                self._values.add(text)
                forms = set(self._longest_first) | escaped_forms(text)
                self._longest_first = tuple(sorted(forms, key=len, reverse=True))

    def mask(self, text: str) -> str:
        """``text`` with every registered secret (in each escaped form) replaced."""
        if not text:
            return text
        for value in self._longest_first:
            if value in text:
                text = text.replace(value, MASK)
        return text

    def scrub(self, text: str) -> str:
        """``text`` masked, and the policy's patterns applied: what the listener does to every message."""
        return self.policy.redact_patterns(self.mask(text)) if text else text

    def __contains__(self, value: str) -> bool:
        with self._lock:
            return value in self._values


class SecretScrubber:
    """Library listener (API v3) that masks registered secrets in everything Robot records."""

    ROBOT_LISTENER_API_VERSION = 3

    def __init__(self, registry: SecretRegistry) -> None:
        self.registry = registry

    def start_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        # Robot records the arguments as written (and logs them at TRACE) right after this call.
        for arg in result.args:
            if isinstance(arg, str):
                for value in url_credentials(arg):
                    self.registry.register(value)
        result.args = tuple(self.registry.scrub(arg) if isinstance(arg, str) else arg for arg in result.args)

    def log_message(self, message: Any) -> None:
        message.message = self.registry.scrub(message.message)

    def end_library_keyword(self, data: Any, implementation: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)

    def end_test(self, data: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)

    def end_suite(self, data: Any, result: Any) -> None:
        result.message = self.registry.scrub(result.message)


# Guids as the gateway issues them: a UUID followed by the gateway node name.
GUID_PATTERN = re.compile(r"[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\.AgentGateway\w*")
# log.html and report.html keep most texts zlib-compressed and base64-encoded; a zlib stream starts with 0x78,
# which base64 writes as "e" and one of A, F, J, N (by compression level).
_COMPRESSED = re.compile(r'"(e[AFJN][A-Za-z0-9+/]{6,}={0,2})"')


def readable_text(text: str) -> str:
    """``text`` plus the decompressed texts that Robot's HTML outputs embed, so a scan sees everything."""
    parts = [text]
    for blob in _COMPRESSED.findall(text):
        try:
            parts.append(zlib.decompress(base64.b64decode(blob)).decode("utf-8", "replace"))
        except (ValueError, zlib.error):
            continue
    joined = "\n".join(parts)
    return joined + "\n" + html.unescape(joined)


def find_leaks(text: str, known_secrets: list[str]) -> list[str]:
    """Secret values found in ``text`` (escaped forms too): the given ones and anything shaped like a Guid."""
    text = readable_text(text)
    found = [f"{value[:3]}... (known secret)" for value in known_secrets
             if value and any(form in text for form in escaped_forms(value) | {value})]
    found += [f"{match[:8]}... (Guid)" for match in sorted(set(GUID_PATTERN.findall(text)))]
    return found
