"""Every ``Get ...`` keyword takes an assertion (issue 22): the same three arguments in the same order, read again
until the assertion holds, and a failure that names the getter, the last value and the expected one. Here the
getters that took none before: the simulator's views, the push endpoint, the gateway facts for RequestsLibrary,
the video connection information and the softphone token (whose failures never show it)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from types import SimpleNamespace
from typing import Any

import pytest
from assertionengine import AssertionOperator
from recorded_library import CALLID, Recorder, recorded_library
from robot.api.types import Secret

from CCGatewayLibrary import CCGatewayLibrary
from CCGatewayLibrary.errors import CCGatewayError
from CCGatewayLibrary.keywords.simulator import SimulatorKeywords

ASSERTION_ARGUMENTS = ["assertion_operator", "assertion_expected", "message"]
# Starts the embedded simulator's console: reading it again and again would mean nothing.
NO_ASSERTION = {"get_simulator_console_url"}


def _getters() -> dict[str, Any]:
    library = CCGatewayLibrary(diagram=False)
    return {name: getattr(library, name) for name in dir(library)
            if name.startswith("get_") and hasattr(getattr(library, name, None), "robot_name")}


def test_every_getter_takes_an_operator_an_expected_value_and_a_message_in_that_order() -> None:
    getters = _getters()
    assert {"get_simulated_agent", "get_softphone_token", "get_gateway_facts", "get_push_endpoint"} <= set(getters)
    wrong = {}
    for name, method in sorted(getters.items()):
        if name in NO_ASSERTION:
            continue
        parameters = list(inspect.signature(method).parameters.values())
        names = [parameter.name for parameter in parameters]
        first = names.index("assertion_operator") if "assertion_operator" in names else -1
        taken = parameters[first:first + 3] if first >= 0 else []
        if ([p.name for p in taken] != ASSERTION_ARGUMENTS
                or str(taken[0].annotation) != "AssertionOperator | None"
                or any(p.default is not None for p in taken)
                or any(p.default is inspect.Parameter.empty for p in parameters[first:]
                       if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD))):
            wrong[name] = names
    assert wrong == {}


class FakeControl:
    """Stands for the simulator's control interface: each read answers the next of ``answers``."""

    def __init__(self, answers: list[Any]) -> None:
        self.answers = iter(answers)
        self.reads: list[tuple[str, tuple[Any, ...]]] = []

    def __getattr__(self, action: str) -> Any:
        def read(*args: Any) -> Any:
            self.reads.append((action, args))
            return next(self.answers)

        return read


class Evaluator:
    """Stands for Robot's BuiltIn, which evaluates ``validate`` expressions only while Robot runs."""

    @staticmethod
    def evaluate(expression: str, namespace: dict[str, Any]) -> Any:
        return eval(expression, {}, dict(namespace))  # the tests' own expressions


@pytest.fixture(autouse=True)
def _outside_robot(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assertionengine.assertion_engine.BuiltIn", Evaluator)
    monkeypatch.setattr("CCGatewayLibrary.keywords.base.ASSERTION_PAUSE", 0.01)


@pytest.fixture
def quick() -> Iterator[CCGatewayLibrary]:
    library = CCGatewayLibrary(url="https://gw.example:8043", diagram=False)
    library.ctx.settings.assertion_timeout = 2.0
    yield library


def _control(monkeypatch: pytest.MonkeyPatch, answers: list[Any]) -> FakeControl:
    control = FakeControl(answers)
    monkeypatch.setattr(SimulatorKeywords, "_control", lambda self: control)
    return control


@pytest.mark.parametrize(("getter", "args", "action"), [
    ("get_simulated_agent", ("103",), "agent"),
    ("get_simulator_counters", (), "counters"),
    ("get_simulated_text_session", (CALLID,), "text_session"),
])
def test_a_simulator_getter_reads_again_until_its_assertion_holds(
        quick: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch, getter: str, args: tuple[str, ...],
        action: str) -> None:
    answers = [{"signedIn": True}, {"signedIn": True}, {"signedIn": False}]
    control = _control(monkeypatch, answers)
    found = getattr(quick, getter)(*args, AssertionOperator["validate"], "not value['signedIn']")
    assert found == {"signedIn": False}
    assert control.reads == [(action, args)] * 3


@pytest.mark.parametrize(("getter", "args", "name"), [
    ("get_simulated_agent", ("103",), "Get Simulated Agent: agent"),
    ("get_simulator_counters", (), "Get Simulator Counters: counters"),
    ("get_simulated_text_session", (CALLID,), "Get Simulated Text Session: session"),
])
def test_a_simulator_getter_whose_assertion_never_holds_names_the_getter_and_the_last_value(
        quick: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch, getter: str, args: tuple[str, ...],
        name: str) -> None:
    quick.ctx.settings.assertion_timeout = 0.05
    _control(monkeypatch, [{"lost": 0}] * 100)
    with pytest.raises(AssertionError, match=rf"^{name} '{{'lost': 0}}' \(dict\) should be '{{'lost': 1}}' \(dict\) "
                                             r"\(tried \d+ times in 50 milliseconds\)$"):
        getattr(quick, getter)(*args, AssertionOperator["=="], {"lost": 1})


def test_a_simulator_getter_without_an_assertion_reads_once(quick: CCGatewayLibrary,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    control = _control(monkeypatch, [{"requests": 1}, {"requests": 2}])
    assert quick.get_simulator_counters() == {"requests": 1} and len(control.reads) == 1


def test_the_push_endpoint_takes_an_assertion_on_its_dictionary(quick: CCGatewayLibrary,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    receiver = SimpleNamespace(base_url="https://127.0.0.1:8443", ca_file="/tmp/ca.pem")
    monkeypatch.setattr(quick.ctx, "push_endpoint", lambda: receiver)
    found = quick.get_push_endpoint(AssertionOperator["validate"], "value['url'].startswith('https://')")
    assert found == {"url": "https://127.0.0.1:8443", "ca_file": "/tmp/ca.pem"}
    quick.ctx.settings.assertion_timeout = 0.0
    with pytest.raises(AssertionError, match=r"^Get Push Endpoint: endpoint .* should validate to true with"):
        quick.get_push_endpoint(AssertionOperator["validate"], "'callback' in value")


def test_the_gateway_facts_take_an_assertion_and_a_failure_shows_the_guid_as_secret(
        quick: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    guid = "0a1b2c3d-0000-1111-2222-333344445555.AgentGateway1"
    quick.ctx.secrets.register(guid)
    session = SimpleNamespace(guid=SimpleNamespace(guid=Secret(guid)))
    handle = SimpleNamespace(session=session, agent_id="101", describe=lambda: "agent 101")
    monkeypatch.setattr(quick.ctx, "agent", lambda alias=None: handle)
    facts = quick.get_gateway_facts(AssertionOperator["validate"], "value['agent_id'] == '101'",
                                    interface="getAgentStatus")
    assert facts["agent_id"] == "101" and facts["guid"].value == guid
    quick.ctx.settings.assertion_timeout = 0.0
    with pytest.raises(AssertionError) as failure:
        quick.get_gateway_facts(AssertionOperator["=="], {})
    assert str(failure.value).startswith("Get Gateway Facts: facts '{'url'") and guid not in str(failure.value)


@pytest.fixture
def recorded(monkeypatch: pytest.MonkeyPatch) -> tuple[CCGatewayLibrary, Recorder]:
    library, recorder = recorded_library(monkeypatch, "101")
    library.ctx.settings.assertion_timeout = 2.0
    return library, recorder


def _answers(monkeypatch: pytest.MonkeyPatch, library: CCGatewayLibrary, recorder: Recorder,
             results: list[Any]) -> None:
    """Makes the recorder answer each request with the next of ``results``."""
    remaining = iter(results)
    send = recorder.send

    def answer(*args: Any, **kwargs: Any) -> Any:
        recorder.result = next(remaining)
        return send(*args, **kwargs)

    monkeypatch.setattr(library.ctx.requests, "send", answer)


def test_the_video_connection_info_is_read_again_until_its_assertion_holds(
        recorded: tuple[CCGatewayLibrary, Recorder], monkeypatch: pytest.MonkeyPatch) -> None:
    library, recorder = recorded
    _answers(monkeypatch, library, recorder, [{"ip": "10.0.0.1", "port": "5060"}, {"ip": "10.0.0.2", "port": "5060"}])
    found = library.get_video_connection_info(CALLID, AssertionOperator["validate"], "value['ip'] == '10.0.0.2'")
    assert found == {"ip": "10.0.0.2", "port": "5060"} and len(recorder.sent) == 2
    library.ctx.settings.assertion_timeout = 0.0
    _answers(monkeypatch, library, recorder, [None])
    recorder.retcode = "106-011"
    with pytest.raises(AssertionError, match=r"^Get Video Connection Info: connection info 'None' \(nonetype\) "
                                             r"should not be 'None' \(nonetype\)$"):
        library.get_video_connection_info(CALLID, AssertionOperator["!="], None, expected_retcode="106-011")


def test_the_softphone_token_is_compared_by_its_text_and_read_again_until_it_changed(
        recorded: tuple[CCGatewayLibrary, Recorder], monkeypatch: pytest.MonkeyPatch) -> None:
    library, recorder = recorded
    old, new = "5f0c9a6e11d24f", "77aa01b2c3d4e5"
    _answers(monkeypatch, library, recorder, [{"phonetoken": old}, {"phonetoken": old}, {"phonetoken": new}])
    found = library.get_softphone_token(AssertionOperator["!="], Secret(old))
    assert isinstance(found, Secret) and found.value == new and len(recorder.sent) == 3
    recorder.sent.clear()
    _answers(monkeypatch, library, recorder, [{"phonetoken": new}])
    again = library.get_softphone_token(AssertionOperator["validate"], "len(value) == 14 and value.isalnum()")
    assert isinstance(again, Secret) and again.value == new and len(recorder.sent) == 1


@pytest.mark.parametrize(("operator", "expected", "message"), [
    ("==", "not it", None), ("==", Secret("zy9"), None), ("contains", "q", None), ("matches", "^x", None),
    ("validate", "len(value) > 5", None), ("==", "not it", "got {value}, wanted {expected}"),
])
def test_a_failed_assertion_on_the_softphone_token_never_shows_it(
        recorded: tuple[CCGatewayLibrary, Recorder], operator: str, expected: Any, message: str | None) -> None:
    library, recorder = recorded
    library.ctx.settings.assertion_timeout = 0.0
    # Three characters: too short for the registry to mask, so only the assertion itself can keep it hidden.
    recorder.result = {"phonetoken": "zy8"}
    with pytest.raises(AssertionError) as failure:
        library.get_softphone_token(AssertionOperator[operator], expected, message)
    text = str(failure.value)
    assert "zy8" not in text and "zy9" not in text and "<secret>" in text
    assert text.startswith("Get Softphone Token: token" if message is None else "got")


def test_then_returns_what_its_expression_gives(quick: CCGatewayLibrary, monkeypatch: pytest.MonkeyPatch) -> None:
    control = _control(monkeypatch, [{"events": {"lost": 2}}])
    assert quick.get_simulator_counters(AssertionOperator["then"], "value['events']['lost'] + 1") == 3
    assert len(control.reads) == 1


def test_then_on_a_getter_that_asserts_on_part_of_its_value_sees_that_part(
        recorded: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = recorded
    recorder.result = {"agentState": 4, "isWorking": False}
    assert library.get_agent_status(AssertionOperator["then"], "value.upper()") == "IDLE"


def test_then_is_refused_for_the_softphone_token(recorded: tuple[CCGatewayLibrary, Recorder]) -> None:
    library, recorder = recorded
    recorder.result = {"phonetoken": "5f0c9a6e11d24f"}
    with pytest.raises(CCGatewayError, match=r"^Get Softphone Token: assertion_operator 'then' is not available"):
        library.get_softphone_token(AssertionOperator["then"], "value")
    assert recorder.sent == []
