"""The request pipeline's settings: which gateway URL and CA file are accepted, what the refusals say, and that
sessions and pollers made by the context carry the library's redaction and scrubbing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.context import AgentHandle
from CCGatewayLibrary.errors import AgentError, CCGatewayError
from CCGatewayLibrary.events import EventJournal
from CCGatewayLibrary.secrets import MASK
from CCGatewayLibrary.transport import Exchange
from CCGatewayLibrary.transport.redaction import REDACTED
from CCGatewayLibrary.urls import ca_bundle, gateway_url

# ---------------------------------------------------------------- the gateway URL


@pytest.mark.parametrize(
    ("url", "accepted"),
    [
        ("https://gw.example:8043", "https://gw.example:8043"),
        (" https://gw.example:8043/ ", "https://gw.example:8043"),
        ("https://gw.example:8043/ccX//", "https://gw.example:8043/ccX"),
    ],
)
def test_a_gateway_url_is_kept_without_trailing_slashes(url: str, accepted: str) -> None:
    assert gateway_url(url) == accepted


@pytest.mark.parametrize("url", ["http://gw.example:8043", "https://", "gw.example:8043"])
def test_anything_but_https_with_a_host_is_refused_word_for_word(url: str) -> None:
    with pytest.raises(CCGatewayError) as refused:
        gateway_url(url)
    assert str(refused.value) == (
        f"Gateway URL '{url}' must look like https://host:8043: the gateway takes passwords, "
        "so plain http:// is refused."
    )


def test_user_info_in_the_gateway_url_is_refused_word_for_word() -> None:
    with pytest.raises(CCGatewayError) as refused:
        gateway_url("https://agent:Url-Pw-Planted@gw.example:8043")
    assert str(refused.value) == (
        "Gateway URL must not carry a user name or password before '@' (https://user:pw@host): "
        "it would be logged and sent on. Give https://host:8043."
    )


def test_user_info_in_the_push_url_is_refused_without_echoing_it() -> None:
    with pytest.raises(CCGatewayError) as refused:
        CCGatewayLibrary(event_mode="push", push_url="https://tester:Push-Pw-Planted@tester.example:9443")
    assert str(refused.value).startswith("push_url must not carry a user name or password before '@'")
    assert "Push-Pw-Planted" not in str(refused.value)


def test_the_push_url_is_kept_without_a_trailing_slash() -> None:
    library = CCGatewayLibrary(event_mode="push", push_url="https://tester.example:9443/")
    assert library.ctx.settings.push_url == "https://tester.example:9443"


def test_without_a_ca_file_requests_own_bundle_is_trusted() -> None:
    assert ca_bundle(None) is True and ca_bundle("") is True


def test_a_ca_file_that_does_not_exist_is_refused_word_for_word(tmp_path: Any) -> None:
    missing = str(tmp_path / "missing.pem")
    with pytest.raises(CCGatewayError) as refused:
        ca_bundle(missing)
    assert str(refused.value) == f"CA bundle '{missing}' is not a file."


def test_a_gateway_chosen_later_replaces_a_url_refused_at_import() -> None:
    library = CCGatewayLibrary(url="http://gw.example:8043")
    with pytest.raises(CCGatewayError, match="must look like https://host:8043"):
        library.ctx.gateway_url()
    library.use_gateway("https://gw.example:8043")
    assert library.ctx.gateway_url() == "https://gw.example:8043"


def test_no_gateway_at_all_says_how_to_choose_one() -> None:
    with pytest.raises(CCGatewayError) as refused:
        CCGatewayLibrary().ctx.gateway_url()
    assert str(refused.value) == (
        "No gateway to talk to: import the library with url=https://host:8043, "
        "or run 'Use Gateway' or 'Start Gateway Simulator' first."
    )


# ---------------------------------------------------------------- what the context makes


def test_sessions_follow_the_library_redaction_rules() -> None:
    library = CCGatewayLibrary(url="https://gw.example:8043", redact=["field:pin"])
    session = library.ctx.new_session()
    exchange = Exchange(
        "PUT", session.base_url + "/x", 200, "OK", {}, {"pin": "4711"}, {}, "", 1.0, policy=session.policy
    )
    assert exchange.redacted_request()["body"] == {"pin": REDACTED}


class _PollOnce:
    """A poller's session: one poll answered by an error page quoting a secret, then idle polls until closed."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.closed = threading.Event()

    def sibling(self) -> _PollOnce:
        return self

    def close(self) -> None:
        self.closed.set()

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        page, self.page = self.page, ""
        if page:
            return Exchange(method, path, 502, "Bad Gateway", {}, None, {}, page, 1.0)
        self.closed.wait(0.05)
        return Exchange(method, path, 200, "OK", {}, None, {}, "{}", 1.0, json={"retcode": "0", "message": ""})


def test_polling_problems_are_scrubbed_by_the_library() -> None:
    library = CCGatewayLibrary(url="https://gw.example:8043")
    library.ctx.secrets.register("Poll-Pw-Planted")
    journal = EventJournal("101")
    handle = AgentHandle("101", "101", _PollOnce("error page: Poll-Pw-Planted"), journal)  # type: ignore[arg-type]
    library.ctx.start_polling(handle)
    try:
        for _ in range(100):
            if journal.problems():
                break
            threading.Event().wait(0.02)
    finally:
        handle.stop_polling("done")
    texts = [problem.text for problem in journal.problems()]
    assert texts and "Poll-Pw-Planted" not in texts[0] and MASK in texts[0]


def test_after_the_agents_are_forgotten_none_is_signed_in() -> None:
    library = CCGatewayLibrary(url="https://gw.example:8043")
    library.ctx.current_alias = "gone"
    library.ctx.forget_agents("test over")
    with pytest.raises(AgentError, match=r"^No agent signed in: "):
        library.ctx.agent()


def test_a_secret_value_is_a_secret_to_the_context() -> None:
    # Registered once, the secret is masked in whatever the context quotes.
    library = CCGatewayLibrary(url="https://gw.example:8043")
    library.ctx.secrets.register(Secret("Ctx-Pw-Planted"))
    assert library.ctx.requests.safe("said Ctx-Pw-Planted") == f"said {MASK}"
