"""Token handling against a fake token endpoint (httpx.MockTransport): no server, no waiting.

What the live tests cannot show cheaply: renewal at the right moment (a fake clock instead of
15 minutes), back-off on 429 (a fake sleep records the waits), one token for many threads,
the 401 retry and the exact shape of a private_key_jwt assertion.
"""

from __future__ import annotations

import asyncio
import base64
import json
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, unquote_plus

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from sinergi_sdk import (
    ClientSecretBasic,
    PrivateKeyJwt,
    Sinergi,
    SinergiAuth,
    SinergiError,
    TokenCache,
    TokenError,
    auth_of,
    public_jwk,
)

BASE = "https://sinergi.test"
TOKEN_URL = f"{BASE}/oauth/token"


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


class FakeExchange:
    """A token endpoint and an API that accepts only the tokens it issued (and not revoked)."""

    def __init__(self, expires_in: int = 900) -> None:
        self.expires_in = expires_in
        self.token_requests: list[httpx.Request] = []
        self.api_requests: list[httpx.Request] = []
        self.issued: list[str] = []
        self.revoked: set[str] = set()
        #: Answers to give the next token requests before issuing one: (status, headers, body).
        self.token_refusals: list[tuple[int, dict[str, str], dict[str, object]]] = []
        #: Answers to give the next API requests before serving them.
        self.api_refusals: list[tuple[int, dict[str, str]]] = []
        self.lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            if request.url.path == "/oauth/token":
                self.token_requests.append(request)
                if self.token_refusals:
                    status, headers, body = self.token_refusals.pop(0)
                    return httpx.Response(status, headers=headers, json=body)
                token = f"token-{len(self.issued) + 1}"
                self.issued.append(token)
                return httpx.Response(
                    200,
                    json={
                        "access_token": token,
                        "token_type": "Bearer",
                        "expires_in": self.expires_in,
                        "scope": "graduations:read",
                    },
                )
            self.api_requests.append(request)
            if self.api_refusals:
                status, headers = self.api_refusals.pop(0)
                return httpx.Response(status, headers=headers, json={"status": status})
            presented = request.headers.get("authorization", "").removeprefix("Bearer ")
            if presented not in self.issued or presented in self.revoked:
                return httpx.Response(
                    401,
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                    json={"type": "urn:sinergi:problem:unauthorized", "status": 401},
                )
            # An Identity (GET /v1/whoami), plus the token for the tests to look at.
            identity = {"client_id": "c", "agency": "KEMENSOS", "scopes": [], "token": presented}
            return httpx.Response(200, json=identity)


def make_cache(
    exchange: FakeExchange, clock: FakeClock, credentials: object = None, **kwargs: object
) -> TokenCache:
    http = httpx.Client(transport=httpx.MockTransport(exchange))
    creds = credentials or ClientSecretBasic("demo-kemensos", "s3cret")
    return TokenCache(TOKEN_URL, creds, http=http, clock=clock, sleep=clock.sleep, **kwargs)  # type: ignore[arg-type]


def api(exchange: FakeExchange, cache: TokenCache, clock: FakeClock) -> httpx.Client:
    auth = SinergiAuth(cache, sleep=clock.sleep)
    return httpx.Client(base_url=BASE, auth=auth, transport=httpx.MockTransport(exchange))


def test_many_calls_share_one_token() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    client = api(exchange, make_cache(exchange, clock), clock)
    seen = {client.get("/v1/whoami").json()["token"] for _ in range(50)}
    assert seen == {"token-1"}
    assert len(exchange.token_requests) == 1


def test_threads_share_one_token() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    client = api(exchange, make_cache(exchange, clock), clock)
    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(lambda _: client.get("/v1/whoami").json()["token"], range(64)))
    assert set(answers) == {"token-1"}
    assert len(exchange.token_requests) == 1


@pytest.mark.parametrize(
    ("expires_in", "renew_after"),
    [(900, 840.0), (100, 90.0)],  # 60 s margin, or 10 % of a short lifetime
)
def test_token_is_renewed_before_it_expires(expires_in: int, renew_after: float) -> None:
    exchange, clock = FakeExchange(expires_in=expires_in), FakeClock()
    cache = make_cache(exchange, clock)
    first = cache.get()
    clock.now += renew_after - 1
    assert cache.get() == first
    assert len(exchange.token_requests) == 1
    clock.now += 2  # inside the margin, still well before expiry
    second = cache.get()
    assert second != first
    assert len(exchange.token_requests) == 2
    assert cache.current is not None and cache.current.expires_at > clock.now


def test_token_request_uses_client_secret_basic_form_encoded() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    cache = make_cache(
        exchange, clock, ClientSecretBasic("demo client", "a+b:c%d"), scope=["a", "b"]
    )
    cache.get()
    request = exchange.token_requests[0]
    scheme, encoded = request.headers["authorization"].split(" ")
    assert scheme == "Basic"
    user, secret = base64.b64decode(encoded).decode().split(":")
    assert (unquote_plus(user), unquote_plus(secret)) == ("demo client", "a+b:c%d")
    form = parse_qs(request.content.decode())
    assert form == {"grant_type": ["client_credentials"], "scope": ["a b"]}
    assert "s3cret" not in repr(ClientSecretBasic("x", "s3cret"))


def test_429_backs_off_as_retry_after_says() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    problem = {"type": "urn:sinergi:problem:too-many-requests", "status": 429, "title": "Too many"}
    exchange.token_refusals = [
        (429, {"Retry-After": "2"}, problem),
        (429, {"Retry-After": "3"}, problem),
    ]
    cache = make_cache(exchange, clock)
    assert cache.get() == "token-1"
    assert clock.slept == [2.0, 3.0]
    assert len(exchange.token_requests) == 3


def test_429_without_retry_after_backs_off_exponentially() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    exchange.token_refusals = [(429, {}, {"status": 429})] * 3
    cache = make_cache(exchange, clock)
    assert cache.get() == "token-1"
    assert len(clock.slept) == 3
    assert clock.slept[0] <= 1.0 < clock.slept[2] <= 4.0


def test_429_gives_up_after_max_attempts() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    exchange.token_refusals = [(429, {"Retry-After": "1"}, {"status": 429, "type": "x"})] * 10
    cache = make_cache(exchange, clock, max_attempts=3)
    with pytest.raises(SinergiError) as refused:
        cache.get()
    assert refused.value.status == 429
    assert refused.value.retry_after == 1.0
    assert len(exchange.token_requests) == 3


def test_refused_renewal_keeps_the_still_valid_token() -> None:
    """Renewal starts early; a 429 then must not block callers while the old token works."""
    exchange, clock = FakeExchange(), FakeClock()
    cache = make_cache(exchange, clock)
    assert cache.get() == "token-1"
    clock.now += 850  # due for renewal, valid for 50 s more
    exchange.token_refusals = [(429, {"Retry-After": "20"}, {"status": 429})]
    assert cache.get() == "token-1"
    assert clock.slept == []
    clock.now += 10  # within Retry-After: no new request
    assert cache.get() == "token-1"
    assert len(exchange.token_requests) == 2
    clock.now += 11  # Retry-After has passed
    assert cache.get() == "token-2"


def test_refused_credentials_raise_at_once() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    exchange.token_refusals = [
        (401, {}, {"error": "invalid_client", "error_description": "client authentication failed"})
    ]
    cache = make_cache(exchange, clock)
    with pytest.raises(TokenError) as refused:
        cache.get()
    assert refused.value.error == "invalid_client"
    assert refused.value.status == 401
    assert len(exchange.token_requests) == 1
    assert clock.slept == []


def test_401_from_the_api_renews_the_token_once() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    cache = make_cache(exchange, clock)
    client = api(exchange, cache, clock)
    assert client.get("/v1/whoami").json()["token"] == "token-1"
    exchange.revoked.add("token-1")  # e.g. the client's secret was rotated
    assert client.get("/v1/whoami").json()["token"] == "token-2"
    assert len(exchange.token_requests) == 2


def test_a_second_401_is_returned_not_looped() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    client = api(exchange, make_cache(exchange, clock), clock)
    exchange.api_refusals = [(401, {}), (401, {}), (401, {})]
    assert client.get("/v1/whoami").status_code == 401
    assert len(exchange.api_requests) == 2
    assert len(exchange.token_requests) == 2


def test_api_429_and_503_are_retried_after_retry_after() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    client = api(exchange, make_cache(exchange, clock), clock)
    exchange.api_refusals = [(429, {"Retry-After": "1"}), (503, {"Retry-After": "2"})]
    assert client.post("/v1/graduations", json={"x": 1}).status_code == 200
    assert clock.slept == [1.0, 2.0]
    assert len(exchange.api_requests) == 3
    assert all(json.loads(r.content) == {"x": 1} for r in exchange.api_requests)


def test_api_429_with_a_long_retry_after_is_returned() -> None:
    exchange, clock = FakeExchange(), FakeClock()
    client = api(exchange, make_cache(exchange, clock), clock)
    exchange.api_refusals = [(429, {"Retry-After": "3600"})]
    assert client.get("/v1/whoami").status_code == 429
    assert clock.slept == []


KEYS: dict[str, Callable[[], object]] = {
    "EdDSA": ed25519.Ed25519PrivateKey.generate,
    "ES256": lambda: ec.generate_private_key(ec.SECP256R1()),
    "RS256": lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048),
}


@pytest.mark.parametrize("algorithm", sorted(KEYS))
def test_private_key_jwt_assertion(algorithm: str) -> None:
    key = KEYS[algorithm]()
    credentials = PrivateKeyJwt("client-1", key, key_id="k1", clock=lambda: 1_800_000_000)  # type: ignore[arg-type]
    assert credentials.algorithm == algorithm
    exchange, clock = FakeExchange(), FakeClock()
    cache = make_cache(exchange, clock, credentials)
    cache.get()
    cache.invalidate("token-1")
    cache.get()
    forms = [parse_qs(r.content.decode()) for r in exchange.token_requests]
    assert "authorization" not in exchange.token_requests[0].headers
    assertions = [f["client_assertion"][0] for f in forms]
    assert forms[0]["client_assertion_type"] == [
        "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    ]
    assert forms[0]["client_id"] == ["client-1"]

    jwk = public_jwk(key, kid="k1")  # type: ignore[arg-type]
    assert "d" not in jwk and jwk["kid"] == "k1" and jwk["alg"] == algorithm
    public = jwt.PyJWK(jwk).key
    claims = [
        jwt.decode(
            a,
            public,
            algorithms=[algorithm],
            audience=TOKEN_URL,
            options={"verify_exp": False, "verify_iat": False},
        )
        for a in assertions
    ]
    assert jwt.get_unverified_header(assertions[0])["kid"] == "k1"
    for c in claims:
        assert c["iss"] == c["sub"] == "client-1"
        assert c["aud"] == TOKEN_URL  # default: the token endpoint URL
        assert 0 < c["exp"] - c["iat"] <= 300
    assert claims[0]["jti"] != claims[1]["jti"]  # a jti is accepted once


def test_private_key_jwt_audience_and_key_checks() -> None:
    key = ed25519.Ed25519PrivateKey.generate()
    credentials = PrivateKeyJwt("c", key, audience="sinergi")
    claims = jwt.decode(
        credentials.assertion(TOKEN_URL), key.public_key(), algorithms=["EdDSA"], audience="sinergi"
    )
    assert claims["aud"] == "sinergi"
    with pytest.raises(ValueError):
        PrivateKeyJwt("c", ec.generate_private_key(ec.SECP384R1()))
    with pytest.raises(ValueError):
        PrivateKeyJwt("c", key, lifetime=600)


def test_sinergi_wires_the_generated_client() -> None:
    from sinergi_api.api.authentication import get_whoami

    exchange = FakeExchange()
    client = Sinergi(
        BASE, "demo-kemensos", client_secret="s", transport=httpx.MockTransport(exchange)
    )
    for _ in range(5):
        response = get_whoami.sync_detailed(client=client)
        assert response.status_code == 200
    assert len(exchange.token_requests) == 1
    assert auth_of(client).tokens.requests == 1
    assert exchange.api_requests[0].headers["authorization"] == "Bearer token-1"
    with pytest.raises(ValueError):
        Sinergi(BASE, "x")
    with pytest.raises(ValueError):
        Sinergi(BASE, "x", client_secret="s", private_key=ed25519.Ed25519PrivateKey.generate())


def test_sinergi_async_client_uses_the_same_token() -> None:
    from sinergi_api.api.authentication import get_whoami

    exchange = FakeExchange()

    async def handler(request: httpx.Request) -> httpx.Response:
        return exchange(request)

    client = Sinergi(
        BASE,
        "demo-kemensos",
        client_secret="s",
        transport=httpx.MockTransport(exchange),
        async_transport=httpx.MockTransport(handler),
    )

    async def calls() -> list[int]:
        results = await asyncio.gather(
            *(get_whoami.asyncio_detailed(client=client) for _ in range(10))
        )
        return [r.status_code for r in results]

    assert asyncio.run(calls()) == [200] * 10
    assert len(exchange.token_requests) == 1
