from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.region import Region
from ...types import UNSET, Response, Unset


def _get_kwargs(
    code: str,
    *,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/regions/{code}".format(
            code=quote(str(code), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Region | None:
    if response.status_code == 200:
        response_200 = Region.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

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
) -> Response[Problem | Region]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Region]:
    """One region (province, regency, district or village) by its code, dotted or not.

     The table is Kemendagri's official code list as shipped with this release. Use it to check a
    `region_code` before publishing: records need an existing village code.

    Args:
        code (str):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Region]
    """

    kwargs = _get_kwargs(
        code=code,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    code: str,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Region | None:
    """One region (province, regency, district or village) by its code, dotted or not.

     The table is Kemendagri's official code list as shipped with this release. Use it to check a
    `region_code` before publishing: records need an existing village code.

    Args:
        code (str):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Region
    """

    return sync_detailed(
        code=code,
        client=client,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    code: str,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Region]:
    """One region (province, regency, district or village) by its code, dotted or not.

     The table is Kemendagri's official code list as shipped with this release. Use it to check a
    `region_code` before publishing: records need an existing village code.

    Args:
        code (str):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Region]
    """

    kwargs = _get_kwargs(
        code=code,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    code: str,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Region | None:
    """One region (province, regency, district or village) by its code, dotted or not.

     The table is Kemendagri's official code list as shipped with this release. Use it to check a
    `region_code` before publishing: records need an existing village code.

    Args:
        code (str):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Region
    """

    return (
        await asyncio_detailed(
            code=code,
            client=client,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
