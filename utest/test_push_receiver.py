"""The library's push endpoint: only the sign-in's token opens it, only the push envelope gets through, events go
to the journal oldest first and each once, and the heartbeat keeps the session and takes over a renewed Guid."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
import trustme
from hypothesis import given
from hypothesis import strategies as st

from CCGatewayLibrary.catalogue import load_catalogue
from CCGatewayLibrary.errors import CCGatewayError, TransportError
from CCGatewayLibrary.events import EventJournal, PushListener, PushRegistration
from CCGatewayLibrary.events.journal import TALLY_SAMPLES
from CCGatewayLibrary.events.push import REFUSED_PUSHES, REMEMBERED, fingerprint
from CCGatewayLibrary.events.receiver import CALLBACK_PATH, ENDED_KEPT, PushReceiver
from CCGatewayLibrary.secrets import SecretRegistry
from CCGatewayLibrary.transport import Exchange, GuidHolder

CATALOGUE = load_catalogue()


def _event(name: str = "AgentState_Ready", content: Any = None, at: int | None = 1_700_000_000_000) -> dict[str, Any]:
    event = {"eventType": name, "workNo": "101", "content": content}
    if at is not None:
        event["eventGenTime"] = at
    return event


@pytest.fixture(scope="module")
def receiver() -> Iterator[PushReceiver]:
    endpoint = PushReceiver(CATALOGUE)
    endpoint.start()
    yield endpoint
    endpoint.stop()


def _push(receiver: PushReceiver, registration: PushRegistration | None, body: Any, *, token: str | None = None,
          agent: str = "101", raw: bytes | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    offered = token if token is not None else registration.token.value if registration else ""
    headers["service_token"] = offered
    url = receiver.base_url + CALLBACK_PATH.format(agentid=agent)
    return requests.post(url, data=raw if raw is not None else json.dumps(body), headers=headers,
                         verify=str(receiver.ca_file), timeout=10)


def test_a_push_with_the_token_lands_in_the_journal_oldest_first(receiver: PushReceiver) -> None:
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    try:
        events = [_event("AgentState_SetNotReady_Success", {"reason": str(n)}, 1_700_000_000_000 + n)
                  for n in range(3)]
        reply = _push(receiver, registration, {"workNo": "101", "eventList": events})
        assert reply.status_code == 200 and reply.json() == {"message": "success", "retcode": "0"}
        assert [r.event for r in journal.events()] == events
        assert registration.callback_url == receiver.base_url + "/ccgw-push/v1/agents/101/events"
    finally:
        registration.close()


@pytest.mark.parametrize("token", ["", "0" * 48, "wrong"])
def test_a_push_without_the_token_is_refused_and_noted_but_never_recorded(receiver: PushReceiver,
                                                                          token: str) -> None:
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    try:
        reply = _push(receiver, registration, {"workNo": "101", "eventList": [_event()]}, token=token)
        assert reply.status_code == 401
        assert journal.events() == []
        assert journal.problems()[-1].text.startswith("1 push refused (wrong service token), e.g. at ")
        assert "from 127.0.0.1, with" in journal.problems()[-1].text
        assert registration.token.value not in reply.text
    finally:
        registration.close()


def test_the_token_of_another_agent_or_of_a_closed_sign_in_does_not_open_the_path(receiver: PushReceiver) -> None:
    first, second = receiver.register("101"), receiver.register("102")
    first.attach(EventJournal("101"))
    try:
        assert _push(receiver, first, {"eventList": [_event()]}, token=second.token.value).status_code == 401
        first.close()
        assert _push(receiver, first, {"eventList": [_event()]}).status_code == 401  # that sign-in has ended
        assert _push(receiver, first, {"eventList": [_event()]}, token="wrong").status_code == 404  # nobody here
    finally:
        second.close()


def test_pushes_with_a_wrong_token_are_counted_in_one_note_quoting_the_last_few(receiver: PushReceiver) -> None:
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    try:
        headers = {"service_token": "wrong"}
        url = receiver.base_url + CALLBACK_PATH.format(agentid="101")
        with requests.Session() as client:
            for _ in range(30):
                assert client.post(url, json={}, headers=headers, verify=str(receiver.ca_file)).status_code == 401
            assert client.post(url, json={}, verify=str(receiver.ca_file)).status_code == 401
        [note] = journal.problems()
        assert note.text.startswith("31 pushes refused (wrong service token), e.g. at ")
        assert note.text.count("from 127.0.0.1") == TALLY_SAMPLES
        assert note.text.endswith("from 127.0.0.1, without service_token header (HTTP 401, its events not taken)")
    finally:
        registration.close()


def test_a_flood_of_refused_pushes_keeps_one_note_and_a_bounded_sample() -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    for n in range(5):  # before the sign-in's reply: counted, then handed to the journal with it
        registration.refused(f"early {n}")
    registration.attach(journal)
    for n in range(20_000):
        registration.refused(f"late {n}")
    journal.problem("poll failed: timeout")
    registration.refused("the last")
    assert [p.text for p in journal.problems()] == [
        "poll failed: timeout",
        "20006 pushes refused (wrong service token), e.g. late 19998; late 19999; the last"]
    tally = journal.tally(REFUSED_PUSHES)
    assert tally is not None and len(tally.samples) == TALLY_SAMPLES


def test_refused_pushes_held_before_the_sign_in_reply_are_counted_all() -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    for n in range(7):
        registration.refused(f"early {n}")
    registration.attach(journal)
    assert [p.text for p in journal.problems()] == [
        "7 pushes refused (wrong service token), e.g. early 4; early 5; early 6"]


def test_a_late_push_of_any_recently_ended_sign_in_is_quiet_and_the_newest_are_the_ones_kept(
        receiver: PushReceiver) -> None:
    agent = "107"
    ended = []
    for _ in range(ENDED_KEPT + 1):
        registration = receiver.register(agent)
        registration.close()
        ended.append(registration.token.value)
    current, journal = receiver.register(agent), EventJournal(agent)
    current.attach(journal)
    try:
        body = {"workNo": agent, "eventList": [_event()]}
        for token in (ended[-1], ended[-10], ended[1]):  # the newest, more than 8 back, the oldest still kept
            reply = _push(receiver, None, body, token=token, agent=agent)
            assert reply.status_code == 401 and reply.json()["message"] == "that sign-in has ended"
        assert journal.problems() == []
        forgotten = _push(receiver, None, body, token=ended[0], agent=agent)  # beyond the bound: counted as wrong
        assert forgotten.status_code == 401 and journal.problems()[-1].text.startswith("1 push refused")
    finally:
        current.close()


def test_a_late_push_of_an_ended_sign_in_is_refused_without_a_note_in_the_new_one(receiver: PushReceiver) -> None:
    old, old_journal = receiver.register("101"), EventJournal("101")
    old.attach(old_journal)
    old.close()
    new, journal = receiver.register("101"), EventJournal("101")
    new.attach(journal)
    try:
        reply = _push(receiver, old, {"workNo": "101", "eventList": [_event()]})
        assert reply.status_code == 401 and reply.json()["message"] == "that sign-in has ended"
        assert journal.events() == [] and journal.problems() == []
        wrong = _push(receiver, new, {"workNo": "101", "eventList": [_event()]}, token="wrong")
        assert wrong.status_code == 401 and len(journal.problems()) == 1  # a token nobody was given is noted
    finally:
        new.close()


@pytest.mark.parametrize(("body", "raw", "why"), [
    (None, b"<html>", "not JSON in UTF-8"),
    (None, b"\xff\xfe", "not JSON in UTF-8"),
    ({"workNo": "101"}, None, "has no eventList"),
    ({"eventList": [{"workNo": "101"}]}, None, "does not match the push envelope's schema"),
    ({"eventList": "AgentState_Ready"}, None, "does not match the push envelope's schema"),
    ({"workNo": "102", "eventList": [_event()]}, None, "is for agent 102, pushed to agent 101's path"),
    (None, b"[" * 200 + b"]" * 200, "nested more than"),
    (None, b'{"workNo": "101", "eventList": [], "n": ' + b"9" * 5000 + b"}", "a number 5000 digits long"),
    (None, b'{"workNo": "101", "eventList": [], "n": -' + b"9" * 5000 + b"}", "(a number too long)"),
])
def test_a_broken_envelope_is_refused_naming_the_problem_and_noted_as_a_possible_gap(
        receiver: PushReceiver, body: Any, raw: bytes | None, why: str) -> None:
    registration, journal = receiver.register("101"), EventJournal("101")
    registration.attach(journal)
    try:
        reply = _push(receiver, registration, body, raw=raw)
        assert reply.status_code == 400
        assert why in reply.json()["message"]
        assert journal.events() == []
        assert journal.gaps() and why in journal.gaps()[-1].text
    finally:
        registration.close()


def test_an_event_delivered_twice_is_recorded_once() -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    registration.attach(journal)
    batch = [_event("AgentState_SetNotReady_Success", {"reason": "1"}), _event("AgentState_Ready")]
    assert registration.receive(batch) == 2
    assert registration.receive(batch) == 0
    # the same name and content at another time, or other content at the same time, is another event
    assert registration.receive([_event("AgentState_Ready", at=1_700_000_000_001),
                                 _event("AgentState_SetNotReady_Success", {"reason": "2"})]) == 2
    assert [r.event["eventType"] for r in journal.events()] == ["AgentState_SetNotReady_Success", "AgentState_Ready",
                                                                "AgentState_Ready", "AgentState_SetNotReady_Success"]
    assert registration.duplicates == 2


@given(st.lists(st.lists(st.integers(0, 30), max_size=8), max_size=20))
def test_whatever_is_delivered_again_each_event_is_recorded_once_in_first_delivery_order(
        deliveries: list[list[int]]) -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    registration.attach(journal)
    for batch in deliveries:
        registration.receive([_event("AgentState_SetNotReady_Success", {"reason": str(n)}, 1_700_000_000_000 + n)
                              for n in batch])
    first_seen = list(dict.fromkeys(n for batch in deliveries for n in batch))
    assert [int(r.event["content"]["reason"]) for r in journal.events()] == first_seen
    assert registration.duplicates == sum(map(len, deliveries)) - len(first_seen)


def test_events_without_a_generation_time_are_never_taken_for_duplicates() -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    registration.attach(journal)
    registration.receive([_event(at=None)])
    registration.receive([_event(at=None)])
    assert journal.last_seq == 2 and registration.duplicates == 0
    assert fingerprint(_event(at=None)) is None


def test_only_recent_events_are_remembered_for_duplicates() -> None:
    registration = PushRegistration("101", "https://x", CATALOGUE)
    registration.attach(EventJournal("101"))
    registration.receive([_event(at=n) for n in range(REMEMBERED + 1)])
    assert registration.receive([_event(at=REMEMBERED)]) == 0  # still remembered
    assert registration.receive([_event(at=0)]) == 1  # forgotten: memory stays bounded


def test_events_pushed_before_the_sign_in_reply_wait_for_the_journal() -> None:
    registration, journal = PushRegistration("101", "https://x", CATALOGUE), EventJournal("101")
    registration.receive([_event("AgentOther_InService")])
    registration.note("a push was refused")
    assert journal.last_seq == 0
    registration.attach(journal)
    assert [r.name for r in journal.events()] == ["AgentOther_InService"]
    assert journal.problems()[-1].text == "a push was refused"


def test_a_fresh_token_per_sign_in_of_letters_and_digits_within_the_gateways_limit() -> None:
    tokens = {PushRegistration("101", "https://x", CATALOGUE).token.value for _ in range(20)}
    assert len(tokens) == 20
    assert all(token.isalnum() and len(token) <= 50 for token in tokens)


def test_a_callback_url_longer_than_the_gateway_takes_is_refused_in_words() -> None:
    receiver = PushReceiver(CATALOGUE, public_url="https://" + "h" * 180 + ".example.com:9443")
    receiver.base_url = "https://" + "h" * 180 + ".example.com:9443"
    with pytest.raises(CCGatewayError, match="at most 200 \\(callBackUri\\): give a shorter push_url"):
        receiver.register("101")


def test_the_endpoint_certificate_comes_from_the_ca_it_is_given(tmp_path: Path) -> None:
    ca = trustme.CA()
    pem = tmp_path / "ca.pem"
    pem.write_bytes(ca.cert_pem.bytes() + ca.private_key_pem.bytes())
    endpoint = PushReceiver(CATALOGUE, push_ca=pem)
    endpoint.start()
    try:
        trusted = tmp_path / "trusted.pem"
        trusted.write_bytes(ca.cert_pem.bytes())
        reply = requests.post(endpoint.base_url + CALLBACK_PATH.format(agentid="101"), json={}, timeout=10,
                              verify=str(trusted))
        assert reply.status_code == 404  # TLS verified against the given CA; nobody registered
        assert b"PRIVATE KEY" not in endpoint.ca_file.read_bytes()
    finally:
        endpoint.stop()


def test_a_ca_file_without_its_key_is_refused_in_words(tmp_path: Path) -> None:
    pem = tmp_path / "ca.pem"
    pem.write_bytes(trustme.CA().cert_pem.bytes())
    with pytest.raises(CCGatewayError, match="must be one PEM file holding the CA's certificate and its private key"):
        PushReceiver(CATALOGUE, push_ca=pem).start()


# -- the heartbeat ------------------------------------------------------------------------------------------


class Heartbeats:
    """Answers handShake from a script and records the headers sent."""

    def __init__(self, script: list[Any]) -> None:
        self.guid = GuidHolder(SecretRegistry())
        self.script = list(script)
        self.headers: list[dict[str, str]] = []
        self.done = threading.Event()

    def close(self) -> None:
        pass

    def send(self, method: str, path: str, **kwargs: Any) -> Exchange:
        assert (method, path) == ("POST", "/agentgateway/resource/onlineagent/101/handshake")
        self.headers.append(kwargs["headers"])
        if not self.script:
            self.done.set()
            return _reply({"message": "success", "retcode": "0"})
        item = self.script.pop(0)
        if isinstance(item, BaseException):
            raise item
        return item


def _reply(document: Any, status: int = 200, guid: str | None = None) -> Exchange:
    sent = {"Guid": guid} if guid else {}
    return Exchange("POST", "https://gw/x", status, "OK", sent, None, {}, json.dumps(document), 1.0, json=document)


def _listen(script: list[Any]) -> tuple[Heartbeats, EventJournal, PushListener]:
    session, journal = Heartbeats(script), EventJournal("101")
    registration = PushRegistration("101", "https://x", CATALOGUE)
    listener = PushListener(session, CATALOGUE, "101", journal, registration,  # type: ignore[arg-type]
                            heartbeat_interval=0.02)
    listener.start()
    return session, journal, listener


def test_the_heartbeat_carries_the_service_token_and_survives_failures() -> None:
    session, journal, listener = _listen([TransportError("no reply"), _reply({"x": 1}, status=502),
                                          _reply({"message": "", "retcode": "100-001"})])
    try:
        assert session.done.wait(10)
        assert all(h == {"service_token": listener.registration.token.value} for h in session.headers)
        texts = [p.text for p in journal.problems()]
        assert texts[0] == "heartbeat failed: no reply"
        assert texts[1].startswith("heartbeat answered HTTP 502")
        assert texts[2].startswith("heartbeat answered retcode 100-001")
        assert journal.closed_reason is None and listener.running
    finally:
        listener.stop(wait=2)


@pytest.mark.parametrize("retcode", ["100-006", "000-003"])
def test_a_session_ended_retcode_stops_the_heartbeat_and_closes_the_journal(retcode: str) -> None:
    session, journal, listener = _listen([_reply({"message": "", "retcode": retcode})])
    deadline = time.monotonic() + 10
    while listener.running and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not listener.running
    assert journal.closed_reason is not None and journal.closed_reason.startswith(
        f"heartbeat stopped: heartbeat answered retcode {retcode}")
    assert listener.registration.closed
    assert len(session.headers) == 1


def test_stopping_closes_the_registration_so_later_pushes_are_refused() -> None:
    _, _, listener = _listen([])
    listener.stop(wait=2)
    assert listener.registration.closed and not listener.running


def test_a_heartbeat_refused_for_a_guid_replaced_meanwhile_beats_again_with_the_new_one() -> None:
    refused = _reply({"message": "", "retcode": "000-003"}, guid="old-guid-0001")
    session, journal, listener = _listen([refused])
    session.guid.adopt("new-guid-0002")  # as Refresh Guid does while the heartbeat is on its way
    try:
        assert session.done.wait(10), "no heartbeat after the refused one"
        assert journal.closed_reason is None and listener.running
    finally:
        listener.stop(wait=2)


def test_listening_on_every_address_needs_the_address_the_gateway_uses() -> None:
    with pytest.raises(CCGatewayError, match=r"push_host 0\.0\.0\.0 listens on every address, so it names none a "
                                             r"gateway could send to: give push_url"):
        PushReceiver(CATALOGUE, host="0.0.0.0").start()
    endpoint = PushReceiver(CATALOGUE, host="0.0.0.0", public_url="https://localhost:1")
    endpoint.start()
    try:
        assert endpoint.base_url == "https://localhost:1"
    finally:
        endpoint.stop()
