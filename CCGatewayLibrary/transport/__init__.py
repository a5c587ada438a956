"""HTTP transport to the gateway: sessions, TLS, timeouts, Guid handling and redaction."""

from .redaction import DEFAULT_POLICY, RedactionPolicy, RedactionRuleError, redact_headers, redact_json
from .session import GUID_RACE_WAIT, Exchange, GatewaySession, GuidHolder, guid_replaced_in_flight

__all__ = ["DEFAULT_POLICY", "GUID_RACE_WAIT", "Exchange", "GatewaySession", "GuidHolder", "RedactionPolicy",
           "RedactionRuleError", "guid_replaced_in_flight", "redact_headers", "redact_json"]
