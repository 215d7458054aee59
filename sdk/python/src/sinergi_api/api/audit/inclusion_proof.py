from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.inclusion_proof import InclusionProof
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    index: int,
    tree_size: int,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["index"] = index

    params["tree_size"] = tree_size

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/proofs/inclusion",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> InclusionProof | Problem | None:
    if response.status_code == 200:
        response_200 = InclusionProof.from_dict(response.json())

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
) -> Response[InclusionProof | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    index: int,
    tree_size: int,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[InclusionProof | Problem]:
    """Prove that an entry is in the log.

     Combine the leaf hash of the entry (SHA-256 of 0x00 and its exported line without the
    newline) with these hashes as RFC 9162 §2.1.3.2 says, and compare with the root of the
    checkpoint of size `tree_size`.

    Args:
        index (int):
        tree_size (int):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InclusionProof | Problem]
    """

    kwargs = _get_kwargs(
        index=index,
        tree_size=tree_size,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    index: int,
    tree_size: int,
    sinergi_purpose: str | Unset = UNSET,
) -> InclusionProof | Problem | None:
    """Prove that an entry is in the log.

     Combine the leaf hash of the entry (SHA-256 of 0x00 and its exported line without the
    newline) with these hashes as RFC 9162 §2.1.3.2 says, and compare with the root of the
    checkpoint of size `tree_size`.

    Args:
        index (int):
        tree_size (int):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InclusionProof | Problem
    """

    return sync_detailed(
        client=client,
        index=index,
        tree_size=tree_size,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    index: int,
    tree_size: int,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[InclusionProof | Problem]:
    """Prove that an entry is in the log.

     Combine the leaf hash of the entry (SHA-256 of 0x00 and its exported line without the
    newline) with these hashes as RFC 9162 §2.1.3.2 says, and compare with the root of the
    checkpoint of size `tree_size`.

    Args:
        index (int):
        tree_size (int):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[InclusionProof | Problem]
    """

    kwargs = _get_kwargs(
        index=index,
        tree_size=tree_size,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    index: int,
    tree_size: int,
    sinergi_purpose: str | Unset = UNSET,
) -> InclusionProof | Problem | None:
    """Prove that an entry is in the log.

     Combine the leaf hash of the entry (SHA-256 of 0x00 and its exported line without the
    newline) with these hashes as RFC 9162 §2.1.3.2 says, and compare with the root of the
    checkpoint of size `tree_size`.

    Args:
        index (int):
        tree_size (int):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        InclusionProof | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            index=index,
            tree_size=tree_size,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
