from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
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
        "url": "/v1/audit/public-key",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Problem.from_dict(response.json())

        return response_403

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
) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | str]:
    """The checkpoint verifier key.

     The C2SP note verifier key of the audit log (`<name>+<key hash>+<base64 of 0x01 and the
    Ed25519 public key>`), followed by a newline: the `--public-key` file of
    `sinergi audit verify`. Obtain it once and keep it; a different key later means
    checkpoints are signed by someone else.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
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
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | str | None:
    """The checkpoint verifier key.

     The C2SP note verifier key of the audit log (`<name>+<key hash>+<base64 of 0x01 and the
    Ed25519 public key>`), followed by a newline: the `--public-key` file of
    `sinergi audit verify`. Obtain it once and keep it; a different key later means
    checkpoints are signed by someone else.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | str]:
    """The checkpoint verifier key.

     The C2SP note verifier key of the audit log (`<name>+<key hash>+<base64 of 0x01 and the
    Ed25519 public key>`), followed by a newline: the `--public-key` file of
    `sinergi audit verify`. Obtain it once and keep it; a different key later means
    checkpoints are signed by someone else.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | str | None:
    """The checkpoint verifier key.

     The C2SP note verifier key of the audit log (`<name>+<key hash>+<base64 of 0x01 and the
    Ed25519 public key>`), followed by a newline: the `--public-key` file of
    `sinergi audit verify`. Obtain it once and keep it; a different key later means
    checkpoints are signed by someone else.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
