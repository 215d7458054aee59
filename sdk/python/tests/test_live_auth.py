"""Tokens against the real token endpoint: one per client, renewed early, both methods."""

from __future__ import annotations

import os
import time
import uuid

import httpx
import pytest
from _support import CountingTransport, demo_secret
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from sinergi_api import AuthenticatedClient
from sinergi_api.api.administration import create_client
from sinergi_api.api.authentication import get_whoami
from sinergi_api.api.reference_data import list_programs
from sinergi_api.models import ClientWithSecret, Identity, NewClient, ProgramList
from sinergi_sdk import (
    ClientSecretBasic,
    Sinergi,
    SinergiAuth,
    TokenCache,
    TokenError,
    auth_of,
    public_jwk,
    unwrap,
)

pytestmark = pytest.mark.live

#: The issuer of the server under test, which private_key_jwt assertions may name as `aud`.
ISSUER = os.environ.get("SINERGI_ISSUER", "sinergi")


def test_many_calls_one_token_request(base_url: str) -> None:
    counting = CountingTransport(httpx.HTTPTransport())
    client = Sinergi(
        base_url, "demo-kemenumkm", client_secret=demo_secret("demo-kemenumkm"), transport=counting
    )
    with client:
        for _ in range(10):
            me = unwrap(get_whoami.sync_detailed(client=client), Identity)
            assert me.client_id == "demo-kemenumkm"
            programs = unwrap(list_programs.sync_detailed(client=client), ProgramList)
            assert programs.items
    # One token for all 20 calls. (More than one token *request* only when the endpoint's
    # rate limit answered 429 first, e.g. after earlier runs against the same server.)
    assert counting.count("/oauth/token", status=200) == 1
    assert counting.count("/oauth/token") == auth_of(client).tokens.requests
    assert counting.count("/v1/whoami", status=200) == 10
    assert len(counting.authorizations("/v1/whoami")) == 1


def test_token_is_renewed_before_expiry(base_url: str) -> None:
    """A fake clock moves the cache 14 minutes on; the real server issues the next token."""
    now = [0.0]
    http = httpx.Client()
    tokens = TokenCache(
        f"{base_url}/oauth/token",
        ClientSecretBasic("demo-kemenekraf", demo_secret("demo-kemenekraf")),
        http=http,
        clock=lambda: now[0],
    )
    api = httpx.Client(base_url=base_url, auth=SinergiAuth(tokens))
    with http, api:
        first = tokens.get()
        assert api.get("/v1/whoami").status_code == 200
        assert tokens.current is not None
        lifetime = tokens.current.expires_at
        now[0] = lifetime - 61  # not yet within the renewal margin
        assert tokens.get() == first
        now[0] = lifetime - 59  # within it, a minute before expiry
        second = tokens.get()
        # The token endpoint allows one token a second per address once its burst is spent
        # (other tests, earlier runs): a refused renewal keeps the still-valid token and is
        # tried again after Retry-After. Let real and fake time pass until it succeeds.
        for _ in range(15):
            if second != first:
                break
            time.sleep(1.0)
            now[0] += 1.0
            second = tokens.get()
        assert second != first
        assert tokens.current is not None and tokens.current.refresh_at > now[0]
        response = api.get("/v1/whoami")
        assert response.status_code == 200
        assert response.request.headers["authorization"] == f"Bearer {second}"


def test_refused_credentials_raise_token_error(base_url: str) -> None:
    # An unknown client id: refused like a wrong secret, without using up the failure
    # allowance of a real demo client.
    client = Sinergi(base_url, f"no-such-{uuid.uuid4().hex[:8]}", client_secret="wrong")
    with client, pytest.raises(TokenError) as refused:
        get_whoami.sync_detailed(client=client)
    assert refused.value.status == 401
    assert refused.value.error == "invalid_client"


@pytest.fixture(scope="module")
def key_client(admin: AuthenticatedClient) -> tuple[str, dict[str, object]]:
    """A KEMENDES client, registered by the admin API with an Ed25519, a P-256 and an RSA key."""
    keys = {
        "ed": ed25519.Ed25519PrivateKey.generate(),
        "ec": ec.generate_private_key(ec.SECP256R1()),
        "rsa": rsa.generate_private_key(public_exponent=65537, key_size=2048),
    }
    jwks = {"keys": [public_jwk(key, kid=kid) for kid, key in keys.items()]}
    body = NewClient.from_dict(
        {
            "agency": "KEMENDES",
            "name": "SDK private_key_jwt test",
            "scopes": ["graduations:read"],
            "jwks": jwks,
        }
    )
    created = unwrap(create_client.sync_detailed(client=admin, body=body), ClientWithSecret)
    assert created.auth_method == "private_key_jwt"
    assert not created.client_secret
    return created.client_id, keys


@pytest.mark.parametrize("kid", ["ed", "ec", "rsa"])
def test_private_key_jwt(
    base_url: str, key_client: tuple[str, dict[str, object]], kid: str
) -> None:
    client_id, keys = key_client
    client = Sinergi(base_url, client_id, private_key=keys[kid], key_id=kid, audience=ISSUER)  # type: ignore[arg-type]
    with client:
        me = unwrap(get_whoami.sync_detailed(client=client), Identity)
        assert me.client_id == client_id
        assert me.agency == "KEMENDES"
        assert me.scopes == ["graduations:read"]
