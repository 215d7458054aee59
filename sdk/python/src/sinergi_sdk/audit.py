"""The audit log for auditors: streaming the export, and checking it against a checkpoint.

``GET /v1/audit/export?from=&to=`` streams entries ``from`` .. ``to - 1`` as NDJSON where each
line is *exactly* the RFC 8785 bytes of one Merkle leaf followed by ``\\n``. An auditor
recomputes the RFC 9162 root from those bytes and compares it with a checkpoint the exchange
signed, so the bytes must reach the auditor untouched:

* the body is split on ``\\n`` bytes only: ``str.splitlines`` (and httpx's ``iter_lines``)
  also split on U+2028, U+0085 and others, which RFC 8785 leaves unescaped inside strings;
* nothing is decoded and re-encoded before hashing.

:func:`iter_audit_entries` yields parsed entries; :func:`iter_audit_lines` yields
:class:`AuditLine` objects carrying the raw bytes too. :func:`verify_export` does the
auditor's whole check in one call (the signature, the root, the indexes).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from .errors import SinergiError, raise_for_problem
from .feed import AnyClient, _http

__all__ = [
    "AuditLine",
    "AuditVerificationError",
    "Checkpoint",
    "MerkleTree",
    "iter_audit_entries",
    "iter_audit_lines",
    "leaf_hash",
    "merkle_root",
    "parse_checkpoint",
    "verify_checkpoint",
    "verify_export",
]


class AuditVerificationError(Exception):
    """The export, checkpoint or signature does not verify."""


@dataclass(frozen=True)
class AuditLine:
    """One exported entry: ``raw`` is the exact leaf bytes (without the trailing newline)."""

    raw: bytes

    @cached_property
    def entry(self) -> dict[str, Any]:
        """The entry parsed as JSON."""
        parsed: dict[str, Any] = json.loads(self.raw)
        return parsed

    @property
    def leaf_hash(self) -> bytes:
        """RFC 9162 leaf hash: SHA-256(0x00 || raw)."""
        return leaf_hash(self.raw)


def iter_audit_lines(
    client: AnyClient,
    from_: int = 0,
    to: int | None = None,
    *,
    purpose: str | None = None,
) -> Iterator[AuditLine]:
    """Streams entries ``from_`` .. ``to - 1`` (default ``to``: the latest checkpoint's size).

    Memory stays flat whatever the size of the export: the response is read chunk by chunk
    with ``httpx.Client.stream``. Needs ``audit:read``. Raises :class:`SinergiError` for a
    refused request (``to`` beyond the log is a 400), and :class:`AuditVerificationError` when
    the stream ends inside a line (a cut connection must not pass for a shorter export).
    """
    params: dict[str, int] = {"from": from_}
    if to is not None:
        params["to"] = to
    headers = {"Sinergi-Purpose": purpose} if purpose else {}
    with _http(client).stream(
        "GET", "/v1/audit/export", params=params, headers=headers
    ) as response:
        if response.status_code >= 400:
            raise SinergiError.from_response(response)
        rest = b""
        for chunk in response.iter_bytes():
            rest += chunk
            *lines, rest = rest.split(b"\n")
            for line in lines:
                yield AuditLine(line)
        if rest:
            raise AuditVerificationError("the export ended inside a line (connection cut?)")


def iter_audit_entries(
    client: AnyClient,
    from_: int = 0,
    to: int | None = None,
    *,
    purpose: str | None = None,
) -> Iterator[dict[str, Any]]:
    """Streams entries ``from_`` .. ``to - 1`` as parsed dicts (see :func:`iter_audit_lines`)."""
    for line in iter_audit_lines(client, from_, to, purpose=purpose):
        yield line.entry


def leaf_hash(raw: bytes) -> bytes:
    """RFC 9162 §2.1.1: the hash of a leaf, SHA-256(0x00 || bytes)."""
    return hashlib.sha256(b"\x00" + raw).digest()


def _node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


@dataclass
class MerkleTree:
    """The RFC 9162 Merkle tree hash, computed incrementally over streamed leaves.

    Keeps one hash per set bit of the size (the perfect subtrees so far), so an export of
    any length is hashed in O(log n) memory.
    """

    size: int = 0
    _stack: list[tuple[int, bytes]] = field(default_factory=list, init=False, repr=False)

    def append(self, raw: bytes) -> None:
        """Adds a leaf by its bytes."""
        self.append_hash(leaf_hash(raw))

    def append_hash(self, node: bytes) -> None:
        """Adds a leaf by its leaf hash."""
        width = 1
        while self._stack and self._stack[-1][0] == width:
            _, left = self._stack.pop()
            node = _node_hash(left, node)
            width *= 2
        self._stack.append((width, node))
        self.size += 1

    def root(self) -> bytes:
        """The tree head of the leaves so far (SHA-256 of nothing for an empty tree)."""
        if not self._stack:
            return hashlib.sha256(b"").digest()
        node = self._stack[-1][1]
        for _, left in reversed(self._stack[:-1]):
            node = _node_hash(left, node)
        return node


def merkle_root(leaves: Iterable[bytes]) -> bytes:
    """The RFC 9162 root of leaves given by their bytes."""
    tree = MerkleTree()
    for raw in leaves:
        tree.append(raw)
    return tree.root()


@dataclass(frozen=True)
class Checkpoint:
    """A C2SP ``tlog-checkpoint``: the log's origin, its size and root hash at that size."""

    origin: str
    size: int
    root_hash: bytes
    note: str


def parse_checkpoint(note: str) -> Checkpoint:
    """Reads a checkpoint's body without checking its signature (see :func:`verify_checkpoint`)."""
    body, sep, _ = note.rpartition("\n\n")
    if not sep:
        raise AuditVerificationError("not a signed note: no blank line before the signatures")
    lines = body.split("\n")
    if len(lines) < 3:
        raise AuditVerificationError("a checkpoint has an origin, a size and a root hash")
    try:
        size = int(lines[1])
        root = base64.b64decode(lines[2], validate=True)
    except (ValueError, binascii.Error) as error:
        raise AuditVerificationError("malformed checkpoint size or root hash") from error
    if size < 0 or len(root) != 32:
        raise AuditVerificationError("malformed checkpoint size or root hash")
    return Checkpoint(origin=lines[0], size=size, root_hash=root, note=note)


def verify_checkpoint(note: str, verifier_key: str) -> Checkpoint:
    """Checks a checkpoint's Ed25519 signature by the log's verifier key (a C2SP note key).

    ``verifier_key`` is ``GET /v1/audit/public-key``'s answer, ``<name>+<hash>+<base64>``:
    keep it from your first contact and compare it with one obtained out of band; a
    checkpoint is only as trustworthy as the key it is checked with.
    """
    name, key_id, public = _parse_verifier_key(verifier_key.strip())
    body, sep, signatures = note.rpartition("\n\n")
    if not sep:
        raise AuditVerificationError("not a signed note: no blank line before the signatures")
    message = (body + "\n").encode()
    for line in signatures.split("\n"):
        if not line.startswith("\u2014 "):
            continue
        signer, _, encoded = line[2:].rpartition(" ")
        if signer != name:
            continue
        try:
            blob = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            continue
        if len(blob) != 4 + 64 or blob[:4] != key_id:
            continue
        try:
            public.verify(blob[4:], message)
        except InvalidSignature:
            continue
        checkpoint = parse_checkpoint(note)
        if checkpoint.origin != name:
            raise AuditVerificationError("the checkpoint's origin is not the key's name")
        return checkpoint
    raise AuditVerificationError(f"no valid signature by {name} on the checkpoint")


def _parse_verifier_key(vkey: str) -> tuple[str, bytes, Ed25519PublicKey]:
    try:
        # The name holds no "+" (C2SP note keys); the base64 after the hash may.
        name, key_hash, encoded = vkey.split("+", 2)
        raw = base64.b64decode(encoded, validate=True)
        key_id = bytes.fromhex(key_hash)
    except (ValueError, binascii.Error) as error:
        raise AuditVerificationError("malformed verifier key") from error
    if len(raw) != 33 or raw[0] != 0x01 or len(key_id) != 4:
        raise AuditVerificationError("the verifier key is not an Ed25519 note key")
    expected = hashlib.sha256(name.encode() + b"\n" + raw).digest()[:4]
    if expected != key_id:
        raise AuditVerificationError("the verifier key's hash does not match its key")
    return name, key_id, Ed25519PublicKey.from_public_bytes(raw[1:])


def verify_export(
    client: AnyClient, verifier_key: str, *, purpose: str | None = None
) -> Checkpoint:
    """The auditor's check in one call: the latest checkpoint against the full export.

    Fetches the latest checkpoint, checks its signature with ``verifier_key``, streams
    entries 0 .. size - 1, checks that each carries its own ``index``, recomputes the root
    and compares it with the signed one. Returns the verified checkpoint; raises
    :class:`AuditVerificationError` otherwise. (``sinergi audit verify`` additionally checks
    every disclosure against the data-sharing agreements.)
    """
    http = _http(client)
    headers = {"Sinergi-Purpose": purpose} if purpose else {}
    response = http.get("/v1/audit/checkpoint", headers=headers)
    raise_for_problem(response)
    checkpoint = verify_checkpoint(response.text, verifier_key)
    tree = MerkleTree()
    for line in iter_audit_lines(client, 0, checkpoint.size, purpose=purpose):
        if line.entry.get("index") != tree.size:
            raise AuditVerificationError(f"line {tree.size + 1} does not hold entry {tree.size}")
        tree.append_hash(line.leaf_hash)
    if tree.size != checkpoint.size:
        raise AuditVerificationError(f"the export has {tree.size} entries, not {checkpoint.size}")
    if tree.root() != checkpoint.root_hash:
        raise AuditVerificationError("the export does not match the checkpoint's root hash")
    return checkpoint
