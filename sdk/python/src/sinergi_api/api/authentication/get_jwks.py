from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_jwks_response_200 import GetJwksResponse200
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/.well-known/jwks.json",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetJwksResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = GetJwksResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 500:
        response_500 = Problem.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetJwksResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GetJwksResponse200 | Problem]:
    """The public keys that verify access tokens (RFC 7517 JWK Set).

     Lists every key that may still verify a live token: the current signing key, and keys
    rotated out less than 15 minutes (plus a margin for clock skew) ago.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetJwksResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> GetJwksResponse200 | Problem | None:
    """The public keys that verify access tokens (RFC 7517 JWK Set).

     Lists every key that may still verify a live token: the current signing key, and keys
    rotated out less than 15 minutes (plus a margin for clock skew) ago.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetJwksResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GetJwksResponse200 | Problem]:
    """The public keys that verify access tokens (RFC 7517 JWK Set).

     Lists every key that may still verify a live token: the current signing key, and keys
    rotated out less than 15 minutes (plus a margin for clock skew) ago.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetJwksResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> GetJwksResponse200 | Problem | None:
    """The public keys that verify access tokens (RFC 7517 JWK Set).

     Lists every key that may still verify a live token: the current signing key, and keys
    rotated out less than 15 minutes (plus a margin for clock skew) ago.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetJwksResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
