"""Lending an agent's Guid to another HTTP client built on requests (RequestsLibrary), without logging it.

RequestsLibrary logs the headers of every request and reply at INFO. `GuidAuth` is a requests authentication
object: the Guid is added to each request only while it is being sent, never passing through Robot's
arguments, and once the reply is in, the request that requests keeps (``response.request``, which
RequestsLibrary logs) shows the secret headers masked. A Guid the gateway hands out in ``Set-GUID`` is
taken over by the agent's session and masked in the reply's headers too.
"""

from __future__ import annotations

from typing import Any

import requests

from .redaction import REDACTED, RedactionPolicy
from .session import GuidHolder, SecretSink


class GuidAuth(requests.auth.AuthBase):
    def __init__(self, guid: GuidHolder, policy: RedactionPolicy, agent_id: str, secrets: SecretSink) -> None:
        self._guid = guid
        self._policy = policy
        self._secrets = secrets
        self.agent_id = agent_id

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        current = self._guid.guid
        if current is None:
            raise ValueError(f"agent {self.agent_id} has no Guid: sign the agent in first")
        request.headers["Guid"] = current.value
        request.register_hook("response", self._after_reply)
        return request

    def _after_reply(self, response: requests.Response, **_: Any) -> requests.Response:
        self._guid.take_from(response.headers)  # a rotated Guid stays the agent's, and stays secret
        # Secrets in the body (updateGuid's result.guid, a phone token) are registered before RequestsLibrary
        # logs the body, so the library's listener masks them there.
        for value in self._policy.secret_values(response.content):
            self._secrets.register(value)
        result = _json_object(response).get("result")
        if isinstance(result, dict) and isinstance(result.get("guid"), str):
            self._guid.adopt(result["guid"])  # updateGuid sent this way: the new Guid is the agent's from now on
        for message in (*response.history, response):
            self._mask(message.headers)
            self._mask(message.request.headers)
        return response

    def _mask(self, headers: Any) -> None:
        for name in list(headers):
            if name.lower() in self._policy.headers:
                headers[name] = REDACTED

    def __repr__(self) -> str:
        return f"GuidAuth(agent {self.agent_id})"


def _json_object(response: requests.Response) -> dict[str, Any]:
    try:
        document = response.json()
    except ValueError:
        return {}
    return document if isinstance(document, dict) else {}
