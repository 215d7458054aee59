from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.client_with_secret import ClientWithSecret
from ...models.new_client import NewClient
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: NewClient,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/clients",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ClientWithSecret | Problem | None:
    if response.status_code == 201:
        response_201 = ClientWithSecret.from_dict(response.json())

        return response_201

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 413:
        response_413 = Problem.from_dict(response.json())

        return response_413

    if response.status_code == 415:
        response_415 = Problem.from_dict(response.json())

        return response_415

    if response.status_code == 429:
        response_429 = Problem.from_dict(response.json())

        return response_429

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
) -> Response[ClientWithSecret | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[ClientWithSecret | Problem]:
    """Create a client.

     A client belongs to one agency and holds the scopes it may request. Without `jwks` a secret
    is generated and returned in this response only; it is stored as an argon2id hash.

    Args:
        sinergi_purpose (str | Unset):
        body (NewClient): A client to create. Example: {'agency': 'KEMENSOS', 'name': 'SIKS-NG
            publisher', 'scopes': ['graduations:write', 'graduations:read']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClientWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: NewClient,
    sinergi_purpose: str | Unset = UNSET,
) -> ClientWithSecret | Problem | None:
    """Create a client.

     A client belongs to one agency and holds the scopes it may request. Without `jwks` a secret
    is generated and returned in this response only; it is stored as an argon2id hash.

    Args:
        sinergi_purpose (str | Unset):
        body (NewClient): A client to create. Example: {'agency': 'KEMENSOS', 'name': 'SIKS-NG
            publisher', 'scopes': ['graduations:write', 'graduations:read']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClientWithSecret | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[ClientWithSecret | Problem]:
    """Create a client.

     A client belongs to one agency and holds the scopes it may request. Without `jwks` a secret
    is generated and returned in this response only; it is stored as an argon2id hash.

    Args:
        sinergi_purpose (str | Unset):
        body (NewClient): A client to create. Example: {'agency': 'KEMENSOS', 'name': 'SIKS-NG
            publisher', 'scopes': ['graduations:write', 'graduations:read']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ClientWithSecret | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: NewClient,
    sinergi_purpose: str | Unset = UNSET,
) -> ClientWithSecret | Problem | None:
    """Create a client.

     A client belongs to one agency and holds the scopes it may request. Without `jwks` a secret
    is generated and returned in this response only; it is stored as an argon2id hash.

    Args:
        sinergi_purpose (str | Unset):
        body (NewClient): A client to create. Example: {'agency': 'KEMENSOS', 'name': 'SIKS-NG
            publisher', 'scopes': ['graduations:write', 'graduations:read']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ClientWithSecret | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
