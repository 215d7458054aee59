"""Helpers for the tests: a counting transport and valid synthetic identifiers."""

from __future__ import annotations

import random
import uuid
from typing import Any

import httpx


def demo_secret(client_id: str) -> str:
    """The demo's fixed, public secret of a demo client."""
    return f"{client_id}-DEMO-SECRET-not-for-production"


class CountingTransport(httpx.BaseTransport):
    """Records each request's path, status and Authorization header, then hands it on."""

    def __init__(self, inner: httpx.BaseTransport) -> None:
        self.inner = inner
        self.seen: list[tuple[str, int, str | None]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.seen.append(
            (request.url.path, response.status_code, request.headers.get("authorization"))
        )
        return response

    def count(self, path: str, status: int | None = None) -> int:
        return sum(1 for p, s, _ in self.seen if p == path and status in (None, s))

    def authorizations(self, path: str) -> set[str | None]:
        return {a for p, _, a in self.seen if p == path}

    def close(self) -> None:
        self.inner.close()


# --- valid synthetic identifiers -------------------------------------------------------------
# A NIK is 16 digits: the district (6 digits, whose province must exist), the birth date
# DDMMYY (women: day + 40) and a serial that is not 0000. A KK: district, 6 digits, serial.
# The district 32.01.01 and village 32.01.01.1002 are those of the README's examples.
DISTRICT = "320101"
VILLAGE = "32.01.01.1002"


def random_nik(*, female: bool = False, rng: random.Random | None = None) -> str:
    rng = rng or random.SystemRandom()
    day = rng.randint(1, 28) + (40 if female else 0)
    month = rng.randint(1, 12)
    year = rng.randint(50, 99)
    serial = rng.randint(1, 9999)
    return f"{DISTRICT}{day:02d}{month:02d}{year:02d}{serial:04d}"


def random_kk(rng: random.Random | None = None) -> str:
    rng = rng or random.SystemRandom()
    return f"{DISTRICT}{rng.randint(1, 999999):06d}{rng.randint(1, 9999):04d}"


def unique_id(prefix: str = "SDK") -> str:
    """A source_record_id no other test (or earlier run) uses."""
    return f"{prefix}-{uuid.uuid4().hex[:20]}"


def graduation(**overrides: Any) -> dict[str, Any]:
    """A valid PKH graduation body for Kemensos, with fresh identifiers."""
    body: dict[str, Any] = {
        "source_record_id": unique_id("SDK-PKH"),
        "program": "PKH",
        "household": {"kk": random_kk(), "head_nik": random_nik()},
        "member_niks": [random_nik(female=True)],
        "region_code": VILLAGE,
        "graduation_type": "natural",
        "graduated_on": "2026-06-30",
        "welfare_decile": 6,
    }
    body.update(overrides)
    return body
