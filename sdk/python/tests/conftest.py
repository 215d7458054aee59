"""Shared fixtures: the demo server at SINERGI_URL, demo clients, valid synthetic identifiers.

Tests marked ``live`` talk to a real ``sinergi serve --demo`` whose base URL is in the
environment variable ``SINERGI_URL``; without it they are skipped (the unit tests still run).
Each live test makes its own records (unique ``source_record_id``, NIKs and KKs), so tests
are independent of each other and of earlier runs against the same server.

The token endpoint allows 10 tokens at once per source address, then 1 a second: clients are
shared per session so that the whole suite stays within a handful of token requests.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from _support import demo_secret

from sinergi_api import AuthenticatedClient
from sinergi_sdk import Sinergi


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("SINERGI_URL"):
        return
    skip = pytest.mark.skip(reason="set SINERGI_URL to a running `sinergi serve --demo`")
    for item in items:
        if "live" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def base_url() -> str:
    url = os.environ.get("SINERGI_URL")
    if not url:
        pytest.skip("SINERGI_URL is not set")
    return url.rstrip("/")


def _client(base_url: str, client_id: str, **kwargs: Any) -> Iterator[AuthenticatedClient]:
    client = Sinergi(base_url, client_id, client_secret=demo_secret(client_id), **kwargs)
    yield client
    client.get_httpx_client().close()


@pytest.fixture(scope="session")
def kemensos(base_url: str) -> Iterator[AuthenticatedClient]:
    """Kementerian Sosial: publishes graduations (PKH, SEMBAKO)."""
    yield from _client(base_url, "demo-kemensos")


@pytest.fixture(scope="session")
def kemendes(base_url: str) -> Iterator[AuthenticatedClient]:
    """Kementerian Desa: reads Kemensos graduations under a PEMBERDAYAAN_EKONOMI agreement."""
    yield from _client(base_url, "demo-kemendes", purpose="PEMBERDAYAAN_EKONOMI")


@pytest.fixture(scope="session")
def auditor(base_url: str) -> Iterator[AuthenticatedClient]:
    """The auditor (audit:read)."""
    yield from _client(base_url, "demo-auditor")


@pytest.fixture(scope="session")
def admin(base_url: str) -> Iterator[AuthenticatedClient]:
    """The sandbox operator (every scope, including admin)."""
    yield from _client(base_url, "demo-admin")
