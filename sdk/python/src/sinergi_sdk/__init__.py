"""Sinergi SDK: the hand-written layer over the generated client ``sinergi_api``.

* :func:`Sinergi` — the generated ``AuthenticatedClient`` with a shared, self-renewing token
  (``client_secret_basic`` or ``private_key_jwt``);
* :func:`unwrap` and :class:`SinergiError` — RFC 9457 problems as exceptions, every invalid
  field listed;
* :func:`follow_changes` — the change feed, every change once, resumable;
* :func:`verify_webhook` — Standard Webhooks signature checks;
* :func:`iter_audit_entries`, :func:`verify_export` — the audit export, streamed and checked.
"""

from .audit import (
    AuditLine,
    AuditVerificationError,
    Checkpoint,
    MerkleTree,
    iter_audit_entries,
    iter_audit_lines,
    merkle_root,
    parse_checkpoint,
    verify_checkpoint,
    verify_export,
)
from .auth import (
    AccessToken,
    ClientAuthentication,
    ClientSecretBasic,
    PrivateKeyJwt,
    SinergiAuth,
    TokenCache,
    public_jwk,
)
from .client import Sinergi, auth_of
from .errors import FieldError, SinergiError, TokenError, raise_for_problem, unwrap
from .feed import ChangeFeed, feed_head, follow_changes
from .webhooks import WebhookVerificationError, sign_webhook, verify_webhook

__version__ = "0.1.0"

__all__ = [
    "AccessToken",
    "AuditLine",
    "AuditVerificationError",
    "ChangeFeed",
    "Checkpoint",
    "ClientAuthentication",
    "ClientSecretBasic",
    "FieldError",
    "MerkleTree",
    "PrivateKeyJwt",
    "Sinergi",
    "SinergiAuth",
    "SinergiError",
    "TokenCache",
    "TokenError",
    "WebhookVerificationError",
    "auth_of",
    "feed_head",
    "follow_changes",
    "iter_audit_entries",
    "iter_audit_lines",
    "merkle_root",
    "parse_checkpoint",
    "public_jwk",
    "raise_for_problem",
    "sign_webhook",
    "unwrap",
    "verify_checkpoint",
    "verify_export",
    "verify_webhook",
]
