"""Verifying Sinergi webhook deliveries (the Standard Webhooks scheme), with no extra package.

Each delivery is a POST whose body is ``{"type": "graduation.created", "timestamp": ...,
"data": {...the change as GET /v1/changes has it...}}`` with three headers:

* ``webhook-id``: ``<subscription id>-<position>``, the same in every attempt and replay of
  a change; deduplicate on it, since delivery is at least once;
* ``webhook-timestamp``: the attempt's time in Unix seconds;
* ``webhook-signature``: space-separated ``v1,<base64 HMAC-SHA256>`` signatures of
  ``<webhook-id>.<webhook-timestamp>.<body>``, keyed with the base64-decoded part of the
  subscription secret after ``whsec_``.

:func:`verify_webhook` checks the signature over the exact bytes received (verify before
parsing: re-serialised JSON would not match), compares in constant time and refuses
timestamps more than five minutes off, which bounds replays of a captured delivery.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from typing import Any

__all__ = ["DEFAULT_TOLERANCE", "WebhookVerificationError", "sign_webhook", "verify_webhook"]

#: Largest difference between ``webhook-timestamp`` and now that is accepted, in seconds.
DEFAULT_TOLERANCE = 5 * 60

_PREFIX = "whsec_"


class WebhookVerificationError(Exception):
    """The delivery is not authentic or too old: answer it with 400 and do not process it."""


def _key(secret: str | bytes) -> bytes:
    """The HMAC key: raw bytes as given, or the base64 after ``whsec_`` in a secret string."""
    if isinstance(secret, bytes):
        return secret
    encoded = secret.removeprefix(_PREFIX)
    try:
        return base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("a webhook secret is 'whsec_' followed by base64") from error


def _as_bytes(body: bytes | str) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def sign_webhook(secret: str | bytes, msg_id: str, timestamp: int, body: bytes | str) -> str:
    """The ``webhook-signature`` value Sinergi sends for a delivery (``v1,<base64>``).

    For tests of a receiver, and for checking this module against the specification.
    """
    signed = f"{msg_id}.{timestamp}.".encode() + _as_bytes(body)
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def verify_webhook(
    secret: str | bytes,
    headers: Mapping[str, str],
    body: bytes | str,
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: float | None = None,
) -> dict[str, Any]:
    """Checks a delivery and returns its parsed JSON body.

    ``headers`` is any mapping of the request's headers (names in any case); ``body`` the raw
    request body, exactly as received. Raises :class:`WebhookVerificationError` when a header
    is missing, the timestamp is more than ``tolerance`` seconds off ``now`` (default: the
    current time), or no ``v1`` signature matches. Several signatures may be listed (during a
    secret rotation); one match is enough.
    """
    lower = {k.lower(): v for k, v in headers.items()}
    msg_id = lower.get("webhook-id")
    stamp = lower.get("webhook-timestamp")
    signatures = lower.get("webhook-signature")
    if not msg_id or not stamp or not signatures:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    try:
        timestamp = int(stamp)
    except ValueError:
        raise WebhookVerificationError("webhook-timestamp is not a Unix time") from None
    current = time.time() if now is None else now
    if timestamp < current - tolerance:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if timestamp > current + tolerance:
        raise WebhookVerificationError("webhook-timestamp is too far in the future")

    raw = _as_bytes(body)
    expected = sign_webhook(secret, msg_id, timestamp, raw).split(",", 1)[1].encode()
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(expected, value.encode()):
            parsed: dict[str, Any] = json.loads(raw)
            return parsed
    raise WebhookVerificationError("no matching signature")
