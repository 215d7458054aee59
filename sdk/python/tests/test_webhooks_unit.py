"""Webhook signatures: our verification, and equivalence with the standardwebhooks package."""

from __future__ import annotations

import base64
import json
import os
from datetime import UTC, datetime

import pytest

from sinergi_sdk import WebhookVerificationError, sign_webhook, verify_webhook

SECRET = "whsec_" + base64.b64encode(os.urandom(32)).decode()
NOW = 1_800_000_000
BODY = json.dumps(
    {"type": "graduation.created", "timestamp": "2027-01-15T08:00:00Z", "data": {"position": 7}},
    separators=(",", ":"),
).encode()
# U+2028 and non-ASCII in a body must be signed as bytes, not as re-encoded text.
ODD_BODY = '{"data":{"reason":"baris\u2028baru — ñ"}}'.encode()


def headers(body: bytes = BODY, *, stamp: int = NOW, msg_id: str = "sub-1-7") -> dict[str, str]:
    return {
        "Webhook-Id": msg_id,
        "Webhook-Timestamp": str(stamp),
        "Webhook-Signature": sign_webhook(SECRET, msg_id, stamp, body),
    }


def test_valid_delivery_is_parsed() -> None:
    assert verify_webhook(SECRET, headers(), BODY, now=NOW)["data"]["position"] == 7
    assert verify_webhook(SECRET, headers(ODD_BODY), ODD_BODY, now=NOW)["data"][
        "reason"
    ].startswith("baris")


def test_key_may_be_given_as_bytes_or_without_prefix() -> None:
    raw = base64.b64decode(SECRET.removeprefix("whsec_"))
    verify_webhook(raw, headers(), BODY, now=NOW)
    verify_webhook(SECRET.removeprefix("whsec_"), headers(), BODY, now=NOW)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda h, b: (h, b + b" "), "no matching signature"),
        (lambda h, b: ({**h, "Webhook-Id": "sub-1-8"}, b), "no matching signature"),
        (lambda h, b: ({**h, "Webhook-Signature": "v1,AAAA"}, b), "no matching signature"),
        (
            lambda h, b: (
                {**h, "Webhook-Signature": h["Webhook-Signature"].replace("v1,", "v2,")},
                b,
            ),
            "no matching",
        ),
        (lambda h, b: ({k: v for k, v in h.items() if k != "Webhook-Id"}, b), "missing"),
        (lambda h, b: ({**h, "Webhook-Timestamp": "yesterday"}, b), "not a Unix time"),
    ],
)
def test_tampered_deliveries_are_refused(change, message) -> None:  # type: ignore[no-untyped-def]
    h, b = change(headers(), BODY)
    with pytest.raises(WebhookVerificationError, match=message):
        verify_webhook(SECRET, h, b, now=NOW)


def test_timestamp_tolerance() -> None:
    verify_webhook(SECRET, headers(stamp=NOW - 299), BODY, now=NOW)
    verify_webhook(SECRET, headers(stamp=NOW + 299), BODY, now=NOW)
    with pytest.raises(WebhookVerificationError, match="too old"):
        verify_webhook(SECRET, headers(stamp=NOW - 301), BODY, now=NOW)
    with pytest.raises(WebhookVerificationError, match="future"):
        verify_webhook(SECRET, headers(stamp=NOW + 301), BODY, now=NOW)


def test_any_of_several_signatures_may_match() -> None:
    h = headers()
    other = sign_webhook("whsec_" + base64.b64encode(b"k" * 32).decode(), "sub-1-7", NOW, BODY)
    h["Webhook-Signature"] = f"{other} {h['Webhook-Signature']}"
    verify_webhook(SECRET, h, BODY, now=NOW)


def test_the_readme_receiver_computes_the_same_signature() -> None:
    """The README's hand-written receiver: base64 HMAC-SHA256 of id.timestamp.body."""
    import hashlib
    import hmac

    key = base64.b64decode(SECRET.removeprefix("whsec_"))
    signed = f"sub-1-7.{NOW}.".encode() + BODY
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    assert sign_webhook(SECRET, "sub-1-7", NOW, BODY) == expected


def test_equivalent_to_standardwebhooks() -> None:
    standardwebhooks = pytest.importorskip("standardwebhooks")
    hook = standardwebhooks.Webhook(SECRET)
    when = datetime.fromtimestamp(NOW, tz=UTC)
    for body in (BODY, ODD_BODY):
        theirs = hook.sign("sub-1-7", when, body.decode())
        assert theirs == sign_webhook(SECRET, "sub-1-7", NOW, body)

    # Their verification accepts what we sign, and ours what they sign (at the real time,
    # since theirs always checks against the clock).
    import time

    now = int(time.time())
    for body in (BODY, ODD_BODY):
        h = headers(body, stamp=now)
        assert hook.verify(body, h) == json.loads(body)
        their_sig = hook.sign("sub-1-7", datetime.fromtimestamp(now, tz=UTC), body.decode())
        assert verify_webhook(SECRET, {**h, "Webhook-Signature": their_sig}, body) == json.loads(
            body
        )
        # Both refuse the same tampering.
        with pytest.raises(standardwebhooks.webhooks.WebhookVerificationError):
            hook.verify(body + b" ", h)
        with pytest.raises(WebhookVerificationError):
            verify_webhook(SECRET, h, body + b" ")
