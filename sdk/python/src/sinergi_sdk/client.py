"""One call from credentials to a ready generated client."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

import httpx

from sinergi_api import AuthenticatedClient

from .auth import (
    ClientAuthentication,
    ClientSecretBasic,
    PrivateKey,
    PrivateKeyJwt,
    SinergiAuth,
    TokenCache,
)

__all__ = ["USER_AGENT", "Sinergi", "auth_of"]

USER_AGENT = "sinergi-sdk-python/0.1.0"


def Sinergi(  # noqa: N802 - reads as a constructor, returns the generated client
    base_url: str,
    client_id: str,
    *,
    client_secret: str | None = None,
    private_key: PrivateKey | bytes | str | None = None,
    key_id: str | None = None,
    audience: str | Sequence[str] | None = None,
    credentials: ClientAuthentication | None = None,
    scope: str | Sequence[str] | None = None,
    purpose: str | None = None,
    timeout: float | httpx.Timeout = 30.0,
    verify: bool | str = True,
    headers: dict[str, str] | None = None,
    transport: httpx.BaseTransport | None = None,
    async_transport: httpx.AsyncBaseTransport | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> AuthenticatedClient:
    """The generated :class:`sinergi_api.AuthenticatedClient`, authenticated by a token cache.

    Give exactly one of ``client_secret`` (``client_secret_basic``), ``private_key`` (PEM or
    a key object, for ``private_key_jwt``; with ``key_id`` and ``audience``, see
    :class:`~sinergi_sdk.auth.PrivateKeyJwt`) or ready ``credentials``.

    ``purpose`` is sent as ``Sinergi-Purpose`` on every request (a purpose code such as
    ``PEMBERDAYAAN_EKONOMI``, optionally ``CODE: free text``); reading another agency's records
    needs one, and a call's own ``sinergi_purpose=`` overrides it. ``scope`` asks for fewer
    scopes than the client holds. ``transport`` (and ``async_transport``) replace the network,
    for tests and proxies; the token requests go through it too.

    The token cache sits on the underlying httpx client: ``auth_of(client).tokens``. Use the
    generated operations with it, and :func:`~sinergi_sdk.unwrap` on their ``sync_detailed``
    result::

        client = Sinergi("https://sinergi.example.go.id", "demo-kemensos", client_secret=...)
        page = unwrap(search_graduations.sync_detailed(client=client, nik="3201011507850003"))
    """
    chosen = [c is not None for c in (client_secret, private_key, credentials)]
    if sum(chosen) != 1:
        raise ValueError("give exactly one of client_secret, private_key or credentials")
    if credentials is None:
        if client_secret is not None:
            credentials = ClientSecretBasic(client_id, client_secret)
        else:
            assert private_key is not None
            credentials = PrivateKeyJwt(client_id, private_key, key_id=key_id, audience=audience)

    base = base_url.rstrip("/")
    timeouts = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
    token_http = httpx.Client(
        timeout=timeouts, verify=verify, transport=transport, headers={"User-Agent": USER_AGENT}
    )
    tokens = TokenCache(
        f"{base}/oauth/token", credentials, scope=scope, http=token_http, sleep=sleep
    )
    auth = SinergiAuth(tokens, sleep=sleep)

    default_headers = {"User-Agent": USER_AGENT, **(headers or {})}
    if purpose is not None:
        default_headers["Sinergi-Purpose"] = purpose
    http = httpx.Client(
        base_url=base,
        auth=auth,
        timeout=timeouts,
        verify=verify,
        headers=default_headers,
        transport=transport,
    )
    async_http = httpx.AsyncClient(
        base_url=base,
        auth=auth,
        timeout=timeouts,
        verify=verify,
        headers=default_headers,
        transport=async_transport,
    )
    # The generated client would put a fixed `Authorization` header on clients it builds
    # itself; handing it ours makes every generated operation go through SinergiAuth.
    client = AuthenticatedClient(base_url=base, token="", prefix="")
    client.set_httpx_client(http)
    client.set_async_httpx_client(async_http)
    return client


def auth_of(client: AuthenticatedClient) -> SinergiAuth:
    """The :class:`SinergiAuth` of a client made by :func:`Sinergi` (for its token cache)."""
    auth = client.get_httpx_client().auth
    if not isinstance(auth, SinergiAuth):
        raise TypeError("this client was not made by sinergi_sdk.Sinergi")
    return auth
