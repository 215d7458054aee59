"""Access tokens for Sinergi: client authentication, one shared token cache, an httpx.Auth.

Sinergi is an OAuth 2.0 authorization server for the client credentials grant. A ministry
system authenticates at ``POST /oauth/token`` with a secret (``client_secret_basic``) or a
signed JWT (``private_key_jwt``, RFC 7523) and gets an access token valid for at most 15
minutes. The token endpoint is rate limited per source address and per client (by default
1 a second, 10 at once), so a system must never fetch a token per call: :class:`TokenCache`
keeps one token, shared by every thread, renews it shortly *before* it expires, and backs off
on ``429`` as ``Retry-After`` says. :class:`SinergiAuth` plugs it into httpx, and so into the
generated client.
"""

from __future__ import annotations

import base64
import random
import threading
import time
import uuid
from collections.abc import AsyncGenerator, Callable, Generator, Sequence
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import quote_plus

import anyio
import anyio.to_thread
import httpx
import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from .errors import SinergiError, TokenError, parse_retry_after

__all__ = [
    "AccessToken",
    "ClientAuthentication",
    "ClientSecretBasic",
    "PrivateKeyJwt",
    "SinergiAuth",
    "TokenCache",
    "public_jwk",
]

#: RFC 7523 §2.2: the client assertion type of private_key_jwt.
JWT_BEARER_ASSERTION = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

#: Sinergi refuses a client assertion whose ``exp`` is more than 5 minutes ahead.
MAX_ASSERTION_LIFETIME = 300

#: A token is not sent when it expires within this many seconds: it could expire in flight.
EXPIRY_SKEW = 5.0


class ClientAuthentication(Protocol):
    """How a client proves its identity at the token endpoint."""

    client_id: str

    def apply(self, token_url: str, form: dict[str, str], headers: dict[str, str]) -> None:
        """Adds the credentials to a token request's form fields or headers."""
        ...


class ClientSecretBasic:
    """``client_secret_basic``: the client id and secret in an ``Authorization: Basic`` header.

    Each half is form-urlencoded before base64 (RFC 6749 §2.3.1), as Sinergi decodes them; a
    plain ``httpx.BasicAuth`` would break secrets holding ``%``, ``+`` or ``:``.
    """

    def __init__(self, client_id: str, client_secret: str) -> None:
        self.client_id = client_id
        self._secret = client_secret

    def apply(self, token_url: str, form: dict[str, str], headers: dict[str, str]) -> None:
        pair = f"{quote_plus(self.client_id, safe='')}:{quote_plus(self._secret, safe='')}"
        headers["Authorization"] = "Basic " + base64.b64encode(pair.encode()).decode("ascii")

    def __repr__(self) -> str:  # never show the secret in logs or tracebacks
        return f"ClientSecretBasic(client_id={self.client_id!r}, client_secret='***')"


PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


class PrivateKeyJwt:
    """``private_key_jwt`` (RFC 7523): a JWT signed with the client's private key.

    The client registered only its public key (a JWK Set, see :func:`public_jwk`), so no
    shared secret exists that could leak from the exchange. Each token request carries a fresh
    assertion: ``iss`` = ``sub`` = the client id, ``aud``, ``iat``, ``exp`` (at most 5 minutes
    ahead; Sinergi refuses more) and a ``jti`` that Sinergi accepts only once.

    ``aud`` must name the exchange: its issuer (``SINERGI_ISSUER``, ``sinergi`` by default) or
    ``<SINERGI_PUBLIC_URL>/oauth/token``. The default is the token endpoint URL this SDK posts
    to, which is the deployment-specific choice and works when the operator set
    ``SINERGI_PUBLIC_URL`` to the URL you use. A server without it (the demo) accepts only its
    issuer: pass ``audience="sinergi"``. Signing algorithm follows the key: Ed25519 → EdDSA,
    P-256 → ES256, RSA (2048+ bits) → RS256.
    """

    def __init__(
        self,
        client_id: str,
        private_key: PrivateKey | bytes | str,
        *,
        key_id: str | None = None,
        audience: str | Sequence[str] | None = None,
        lifetime: int = 60,
        password: bytes | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if not 1 <= lifetime <= MAX_ASSERTION_LIFETIME:
            raise ValueError(f"lifetime must be 1 to {MAX_ASSERTION_LIFETIME} seconds")
        self.client_id = client_id
        self._key = load_private_key(private_key, password)
        self.algorithm = algorithm_for(self._key)
        self.key_id = key_id
        self.audience = audience
        self.lifetime = lifetime
        self._clock = clock

    def assertion(self, token_url: str) -> str:
        """A new signed client assertion for one token request."""
        now = int(self._clock())
        audience = self.audience if self.audience is not None else token_url
        claims = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": audience if isinstance(audience, str) else list(audience),
            "iat": now,
            "exp": now + self.lifetime,
            "jti": str(uuid.uuid4()),
        }
        headers = {"kid": self.key_id} if self.key_id else None
        return jwt.encode(claims, self._key, algorithm=self.algorithm, headers=headers)

    def apply(self, token_url: str, form: dict[str, str], headers: dict[str, str]) -> None:
        form["client_id"] = self.client_id
        form["client_assertion_type"] = JWT_BEARER_ASSERTION
        form["client_assertion"] = self.assertion(token_url)

    def __repr__(self) -> str:
        return f"PrivateKeyJwt(client_id={self.client_id!r}, algorithm={self.algorithm!r})"


def load_private_key(key: PrivateKey | bytes | str, password: bytes | None = None) -> PrivateKey:
    """A private key object from a key object or PEM (PKCS#8 or traditional) text."""
    if isinstance(key, (ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)):
        return key
    data = key.encode() if isinstance(key, str) else key
    loaded = serialization.load_pem_private_key(data, password=password)
    if not isinstance(
        loaded, (ed25519.Ed25519PrivateKey, ec.EllipticCurvePrivateKey, rsa.RSAPrivateKey)
    ):
        raise ValueError("Sinergi accepts Ed25519, P-256 or RSA keys")
    return loaded


def algorithm_for(key: PrivateKey) -> str:
    """The JWS algorithm Sinergi expects for a key (it accepts EdDSA, ES256 and RS256 only)."""
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return "EdDSA"
    if isinstance(key, ec.EllipticCurvePrivateKey):
        if not isinstance(key.curve, ec.SECP256R1):
            raise ValueError("an EC key must be on P-256 (ES256)")
        return "ES256"
    if key.key_size < 2048:
        raise ValueError("an RSA key must have at least 2048 bits")
    return "RS256"


def public_jwk(key: PrivateKey | bytes | str, *, kid: str | None = None) -> dict[str, str]:
    """The public JWK of a private key, for ``jwks`` when registering a client.

    Only public members are produced, so the result can be sent to the exchange as is::

        {"jwks": {"keys": [public_jwk(key, kid="2026-11")]}}
    """
    private = load_private_key(key)
    jwk: dict[str, str]
    if isinstance(private, ed25519.Ed25519PrivateKey):
        raw = private.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )
        jwk = {"kty": "OKP", "crv": "Ed25519", "x": _b64url(raw), "alg": "EdDSA"}
    elif isinstance(private, ec.EllipticCurvePrivateKey):
        algorithm_for(private)
        numbers = private.public_key().public_numbers()
        jwk = {
            "kty": "EC",
            "crv": "P-256",
            "x": _b64url(numbers.x.to_bytes(32, "big")),
            "y": _b64url(numbers.y.to_bytes(32, "big")),
            "alg": "ES256",
        }
    else:
        numbers_rsa = private.public_key().public_numbers()
        jwk = {
            "kty": "RSA",
            "n": _b64url(_int_bytes(numbers_rsa.n)),
            "e": _b64url(_int_bytes(numbers_rsa.e)),
            "alg": "RS256",
        }
    jwk["use"] = "sig"
    if kid:
        jwk["kid"] = kid
    return jwk


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _int_bytes(n: int) -> bytes:
    return n.to_bytes((n.bit_length() + 7) // 8, "big")


@dataclass(frozen=True)
class AccessToken:
    """An access token and when, on the cache's clock, to renew it and when it expires."""

    value: str = ""
    scope: str = ""
    expires_at: float = 0.0
    refresh_at: float = 0.0

    def __repr__(self) -> str:  # the token is a credential: keep it out of logs
        return f"AccessToken(scope={self.scope!r}, expires_at={self.expires_at:.0f})"


class _RetryLaterError(Exception):
    """A token request worth repeating later; ``wait`` is from Retry-After, if any."""

    def __init__(self, error: Exception, wait: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.wait = wait


class TokenCache:
    """One access token, shared by every thread, renewed before it expires.

    * :meth:`get` returns the cached token until ``refresh_at``: ``expires_in`` minus a margin
      of 10 % of the lifetime, at most 60 s (so a 900 s token is renewed after 840 s). One
      thread renews; the others wait for it and share the result.
    * A ``429`` (or ``503``) from the token endpoint is retried after its ``Retry-After``
      (exponential back-off when it has none), at most ``max_attempts`` times, waiting at most
      ``max_wait`` seconds each time. While the current token is still valid, a refused
      renewal does not block: the current token is used and renewal is tried again once
      ``Retry-After`` has passed.
    * Refused credentials (``401 invalid_client``) raise :class:`~sinergi_sdk.TokenError` at
      once: retrying would only count more failures against the client's allowance.

    ``clock`` and ``sleep`` are injectable so tests can move time without waiting.
    """

    def __init__(
        self,
        token_url: str,
        credentials: ClientAuthentication,
        *,
        scope: str | Sequence[str] | None = None,
        http: httpx.Client | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        max_attempts: int = 5,
        max_wait: float = 60.0,
    ) -> None:
        self.token_url = token_url
        self.credentials = credentials
        self.scope = scope if scope is None or isinstance(scope, str) else " ".join(scope)
        self._http = http or httpx.Client(timeout=httpx.Timeout(15.0))
        self._clock = clock
        self._sleep = sleep
        self._max_attempts = max(1, max_attempts)
        self._max_wait = max_wait
        self._lock = threading.Lock()
        self._token: AccessToken | None = None
        self._not_before = 0.0
        self._requests = 0

    @property
    def requests(self) -> int:
        """How many token requests this cache has sent (successful or not)."""
        return self._requests

    @property
    def current(self) -> AccessToken | None:
        """The cached token, if any, without renewing it."""
        return self._token

    def get(self) -> str:
        """A valid access token: the cached one, or a new one when it is due for renewal."""
        with self._lock:
            now = self._clock()
            token = self._token
            if token is not None and now < token.refresh_at:
                return token.value
            if token is not None and now < self._not_before and self._usable(token, now):
                return token.value  # renewal was refused moments ago; the old one still works
            return self._renew().value

    def invalidate(self, value: str) -> None:
        """Forgets the token ``value`` (the API refused it with 401) so the next get renews.

        Compare-and-clear: when several threads saw the same token refused, only the first
        call drops it, and a token another thread already renewed is kept.
        """
        with self._lock:
            if self._token is not None and self._token.value == value:
                self._token = None
                self._not_before = 0.0

    def close(self) -> None:
        """Closes the HTTP client used for token requests."""
        self._http.close()

    def _usable(self, token: AccessToken, now: float) -> bool:
        return now < token.expires_at - EXPIRY_SKEW

    def _renew(self) -> AccessToken:
        attempt = 0
        while True:
            attempt += 1
            try:
                self._token = self._request()
                self._not_before = 0.0
                return self._token
            except _RetryLaterError as retry:
                now = self._clock()
                old = self._token
                if old is not None and self._usable(old, now):
                    self._not_before = now + self._backoff(retry.wait, attempt)
                    return old
                # Without a token to fall back on, a network failure is reported at once
                # (a wrong base URL should not take a minute of retries to show).
                if attempt >= self._max_attempts or isinstance(retry.error, httpx.TransportError):
                    raise retry.error from None
                self._sleep(min(self._backoff(retry.wait, attempt), self._max_wait))

    @staticmethod
    def _backoff(retry_after: float | None, attempt: int) -> float:
        """Retry-After when the server gave one; else 1, 2, 4 ... s with jitter, at most 30 s."""
        if retry_after is not None:
            return retry_after
        return min(2.0 ** (attempt - 1), 30.0) * (0.5 + random.random() / 2)

    def _request(self) -> AccessToken:
        form = {"grant_type": "client_credentials"}
        if self.scope:
            form["scope"] = self.scope
        headers = {"Accept": "application/json"}
        self.credentials.apply(self.token_url, form, headers)
        started = self._clock()
        self._requests += 1
        try:
            response = self._http.post(self.token_url, data=form, headers=headers)
        except httpx.TransportError as failure:
            # Worth a retry only while an older token covers the wait; _renew decides.
            raise _RetryLaterError(failure, None) from failure
        if response.status_code in (429, 503):
            refused = SinergiError.from_response(response)
            raise _RetryLaterError(refused, refused.retry_after)
        if response.status_code != 200:
            raise SinergiError.from_response(response)
        body = response.json()
        if str(body.get("token_type", "")).lower() != "bearer":
            raise TokenError(status=200, error="unsupported_token_type", problem=body)
        lifetime = float(body["expires_in"])
        margin = min(60.0, lifetime * 0.1)
        return AccessToken(
            value=str(body["access_token"]),
            scope=str(body.get("scope", "")),
            expires_at=started + lifetime,
            refresh_at=started + lifetime - margin,
        )


class SinergiAuth(httpx.Auth):
    """httpx authentication with Sinergi access tokens from a :class:`TokenCache`.

    * Every request gets ``Authorization: Bearer <token>`` from the shared cache.
    * A ``401`` means the token was refused (a rotated signing key, the client's secret
      rotated, a clock far off): the token is dropped, a new one fetched, and the request
      sent again, once. A second ``401`` is returned to the caller.
    * A ``429`` or ``503`` with ``Retry-After`` of at most ``max_retry_wait`` seconds is sent
      again after that wait, up to ``max_retries`` times. Both are safe to resend: Sinergi
      refuses them before doing anything (publishing is an upsert on ``source_record_id``
      in any case).

    Works for ``httpx.Client`` and ``httpx.AsyncClient`` (the token request itself is made in
    a worker thread there).
    """

    def __init__(
        self,
        tokens: TokenCache,
        *,
        max_retries: int = 2,
        max_retry_wait: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.tokens = tokens
        self.max_retries = max_retries
        self.max_retry_wait = max_retry_wait
        self._sleep = sleep

    def _retry_wait(self, response: httpx.Response, retries: int) -> float | None:
        """Seconds to wait before resending after a 429/503, or None to give up."""
        if response.status_code not in (429, 503) or retries >= self.max_retries:
            return None
        wait = parse_retry_after(response.headers.get("retry-after"))
        if wait is None or wait > self.max_retry_wait:
            return None
        return wait

    def sync_auth_flow(
        self, request: httpx.Request
    ) -> Generator[httpx.Request, httpx.Response, None]:
        token = self.tokens.get()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        renewed = False
        retries = 0
        while True:
            if response.status_code == 401 and not renewed:
                renewed = True
                self.tokens.invalidate(token)
                token = self.tokens.get()
                request.headers["Authorization"] = f"Bearer {token}"
            else:
                wait = self._retry_wait(response, retries)
                if wait is None:
                    return
                retries += 1
                self._sleep(wait)
            response = yield request

    async def async_auth_flow(
        self, request: httpx.Request
    ) -> AsyncGenerator[httpx.Request, httpx.Response]:
        token = await anyio.to_thread.run_sync(self.tokens.get)
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        renewed = False
        retries = 0
        while True:
            if response.status_code == 401 and not renewed:
                renewed = True
                self.tokens.invalidate(token)
                token = await anyio.to_thread.run_sync(self.tokens.get)
                request.headers["Authorization"] = f"Bearer {token}"
            else:
                wait = self._retry_wait(response, retries)
                if wait is None:
                    return
                retries += 1
                await anyio.sleep(wait)
            response = yield request
