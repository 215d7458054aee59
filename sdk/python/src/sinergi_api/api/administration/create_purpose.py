from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.purpose import Purpose
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: Purpose,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/admin/purposes",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Purpose | None:
    if response.status_code == 201:
        response_201 = Purpose.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Problem | Purpose]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: Purpose,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Purpose]:
    """Add a purpose of processing.

     Its code must be new; the names (Bahasa Indonesia and English) and the description are
    what agreements' parties and data subjects read. Purposes are not removed: past reads and
    agreements name them.

    Args:
        sinergi_purpose (str | Unset):
        body (Purpose): A purpose for which personal data may be processed (UU 27/2022): every
            read of another
            agency's records names one, and an agreement lists those it covers. Example: {'code':
            'PEMBERDAYAAN_EKONOMI', 'description': 'Menjangkau keluarga yang lulus dari bantuan sosial
            untuk program pemberdayaan ekonomi.', 'name_en': 'Economic empowerment of graduated
            families', 'name_id': 'Pemberdayaan ekonomi keluarga pascagraduasi'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Purpose]
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
    body: Purpose,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Purpose | None:
    """Add a purpose of processing.

     Its code must be new; the names (Bahasa Indonesia and English) and the description are
    what agreements' parties and data subjects read. Purposes are not removed: past reads and
    agreements name them.

    Args:
        sinergi_purpose (str | Unset):
        body (Purpose): A purpose for which personal data may be processed (UU 27/2022): every
            read of another
            agency's records names one, and an agreement lists those it covers. Example: {'code':
            'PEMBERDAYAAN_EKONOMI', 'description': 'Menjangkau keluarga yang lulus dari bantuan sosial
            untuk program pemberdayaan ekonomi.', 'name_en': 'Economic empowerment of graduated
            families', 'name_id': 'Pemberdayaan ekonomi keluarga pascagraduasi'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Purpose
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: Purpose,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Purpose]:
    """Add a purpose of processing.

     Its code must be new; the names (Bahasa Indonesia and English) and the description are
    what agreements' parties and data subjects read. Purposes are not removed: past reads and
    agreements name them.

    Args:
        sinergi_purpose (str | Unset):
        body (Purpose): A purpose for which personal data may be processed (UU 27/2022): every
            read of another
            agency's records names one, and an agreement lists those it covers. Example: {'code':
            'PEMBERDAYAAN_EKONOMI', 'description': 'Menjangkau keluarga yang lulus dari bantuan sosial
            untuk program pemberdayaan ekonomi.', 'name_en': 'Economic empowerment of graduated
            families', 'name_id': 'Pemberdayaan ekonomi keluarga pascagraduasi'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Purpose]
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
    body: Purpose,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Purpose | None:
    """Add a purpose of processing.

     Its code must be new; the names (Bahasa Indonesia and English) and the description are
    what agreements' parties and data subjects read. Purposes are not removed: past reads and
    agreements name them.

    Args:
        sinergi_purpose (str | Unset):
        body (Purpose): A purpose for which personal data may be processed (UU 27/2022): every
            read of another
            agency's records names one, and an agreement lists those it covers. Example: {'code':
            'PEMBERDAYAAN_EKONOMI', 'description': 'Menjangkau keluarga yang lulus dari bantuan sosial
            untuk program pemberdayaan ekonomi.', 'name_en': 'Economic empowerment of graduated
            families', 'name_id': 'Pemberdayaan ekonomi keluarga pascagraduasi'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Purpose
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
