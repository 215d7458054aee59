"""The auditor's export: streamed line by line, exact bytes, matching the signed checkpoint."""

from __future__ import annotations

import json

import pytest

from sinergi_api import AuthenticatedClient
from sinergi_api.api.audit import export_entries, get_checkpoint, get_public_key
from sinergi_sdk import (
    SinergiError,
    iter_audit_entries,
    iter_audit_lines,
    parse_checkpoint,
    unwrap,
    verify_checkpoint,
    verify_export,
)

pytestmark = pytest.mark.live


def checkpoint_size(auditor: AuthenticatedClient) -> int:
    return parse_checkpoint(unwrap(get_checkpoint.sync_detailed(client=auditor), str)).size


def test_export_streams_the_requested_entries(auditor: AuthenticatedClient) -> None:
    size = checkpoint_size(auditor)
    assert size > 0
    from_, to = max(0, size - 40), size
    entries = list(iter_audit_entries(auditor, from_, to))
    assert len(entries) == to - from_
    assert [e["index"] for e in entries] == list(range(from_, to))
    assert all({"time", "method", "status", "outcome"} <= e.keys() for e in entries)


def test_raw_lines_are_the_canonical_bytes(auditor: AuthenticatedClient) -> None:
    size = checkpoint_size(auditor)
    from_ = max(0, size - 10)
    lines = list(iter_audit_lines(auditor, from_, size))
    assert len(lines) == size - from_
    for line in lines:
        # RFC 8785 for these entries: sorted keys, no whitespace (all ASCII in practice).
        canonical = json.dumps(
            line.entry, sort_keys=True, separators=(",", ":"), ensure_ascii=False
        )
        assert line.raw == canonical.encode()
    # The generated operation returns the same bytes in one piece (fine for small exports).
    whole = unwrap(export_entries.sync_detailed(client=auditor, from_=from_, to=size))
    assert whole == b"".join(line.raw + b"\n" for line in lines)


def test_export_recomputes_the_signed_root(auditor: AuthenticatedClient) -> None:
    key = unwrap(get_public_key.sync_detailed(client=auditor), str)
    checkpoint = verify_export(auditor, key)
    assert checkpoint.origin == key.split("+", 1)[0]
    assert checkpoint.size > 0
    # The checkpoint at that size stays available, signed the same way.
    same = unwrap(get_checkpoint.sync_detailed(client=auditor, size=checkpoint.size), str)
    assert verify_checkpoint(same, key).root_hash == checkpoint.root_hash


def test_export_beyond_the_log_is_refused(auditor: AuthenticatedClient) -> None:
    with pytest.raises(SinergiError) as refused:
        list(iter_audit_lines(auditor, 0, 10**12))
    assert refused.value.status == 400
    assert refused.value.errors[0].pointer == "#/query/to"


def test_a_publisher_may_not_export(kemensos: AuthenticatedClient) -> None:
    with pytest.raises(SinergiError) as refused:
        list(iter_audit_lines(kemensos, 0, 1))
    assert refused.value.status == 403
    assert refused.value.type == "urn:sinergi:problem:insufficient-scope"
