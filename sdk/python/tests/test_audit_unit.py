"""The audit helpers without a server: Merkle roots, signed checkpoints, NDJSON streaming."""

from __future__ import annotations

import base64
import hashlib
import json

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sinergi_sdk import (
    AuditVerificationError,
    MerkleTree,
    iter_audit_entries,
    iter_audit_lines,
    merkle_root,
    parse_checkpoint,
    verify_checkpoint,
)


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 §2.1.1, literally: split at the largest power of two below n."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(
        b"\x01" + reference_root(leaves[:k]) + reference_root(leaves[k:])
    ).digest()


def test_incremental_root_matches_the_definition() -> None:
    leaves = [f'{{"index":{i}}}'.encode() for i in range(70)]
    tree = MerkleTree()
    assert tree.root() == reference_root([])
    for n, leaf in enumerate(leaves, start=1):
        tree.append(leaf)
        assert tree.root() == reference_root(leaves[:n]), n
    assert merkle_root(leaves) == reference_root(leaves)


def signed_note(origin: str, size: int, root: bytes, key: Ed25519PrivateKey) -> tuple[str, str]:
    """A C2SP checkpoint signed by `key`, and the matching verifier key."""
    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    key_hash = hashlib.sha256(origin.encode() + b"\n\x01" + public).digest()[:4]
    body = f"{origin}\n{size}\n{base64.b64encode(root).decode()}\n"
    signature = base64.b64encode(key_hash + key.sign(body.encode())).decode()
    note = f"{body}\n\u2014 {origin} {signature}\n"
    encoded_key = base64.b64encode(b"\x01" + public).decode()
    vkey = f"{origin}+{key_hash.hex()}+{encoded_key}"
    return note, vkey


def test_checkpoint_signature() -> None:
    key = Ed25519PrivateKey.generate()
    root = hashlib.sha256(b"root").digest()
    note, vkey = signed_note("sinergi/audit", 47, root, key)
    checkpoint = verify_checkpoint(note, vkey)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root_hash) == ("sinergi/audit", 47, root)
    assert parse_checkpoint(note).size == 47

    with pytest.raises(AuditVerificationError):
        verify_checkpoint(note.replace("\n47\n", "\n48\n"), vkey)
    _, other = signed_note("sinergi/audit", 47, root, Ed25519PrivateKey.generate())
    with pytest.raises(AuditVerificationError):
        verify_checkpoint(note, other)
    with pytest.raises(AuditVerificationError):
        verify_checkpoint(note, "not-a-key")


def stream_client(chunks: list[bytes], status: int = 200) -> httpx.Client:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.url.path == "/v1/audit/export"
        assert dict(request.url.params) == {"from": "5", "to": "8"}
        if status != 200:
            return httpx.Response(
                status, json={"type": "urn:sinergi:problem:validation", "status": status}
            )
        return httpx.Response(
            200, stream=httpx.ByteStream(b"".join(chunks)) if len(chunks) == 1 else Chunks(chunks)
        )

    return httpx.Client(base_url="https://sinergi.test", transport=httpx.MockTransport(handler))


class Chunks(httpx.SyncByteStream):
    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = chunks

    def __iter__(self):  # type: ignore[no-untyped-def]
        yield from self.chunks


def test_lines_are_split_on_newline_bytes_only() -> None:
    entries = [
        {"index": 5, "purpose": "a\u2028b"},  # RFC 8785 leaves U+2028 unescaped
        {"index": 6, "purpose": "c\u0085d \u00e9"},
        {"index": 7, "purpose": None},
    ]
    raw = [json.dumps(e, ensure_ascii=False, separators=(",", ":")).encode() for e in entries]
    body = b"".join(r + b"\n" for r in raw)
    # Cut the stream at awkward places, inside lines and inside multi-byte characters.
    chunks = [body[i : i + 7] for i in range(0, len(body), 7)]
    lines = list(iter_audit_lines(stream_client(chunks), 5, 8))
    assert [line.raw for line in lines] == raw
    assert [line.entry for line in lines] == entries
    assert lines[0].leaf_hash == hashlib.sha256(b"\x00" + raw[0]).digest()
    assert list(iter_audit_entries(stream_client(chunks), 5, 8)) == entries


def test_a_cut_stream_is_an_error() -> None:
    with pytest.raises(AuditVerificationError):
        list(iter_audit_lines(stream_client([b'{"index":5}\n{"ind']), 5, 8))


def test_a_refused_export_raises_sinergi_error() -> None:
    from sinergi_sdk import SinergiError

    with pytest.raises(SinergiError) as raised:
        list(iter_audit_lines(stream_client([], status=400), 5, 8))
    assert raised.value.status == 400
