from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.graduation import Graduation
from ...models.graduation_input import GraduationInput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GraduationInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/graduations",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Graduation | Problem | None:
    if response.status_code == 200:
        response_200 = Graduation.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Graduation.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
) -> Response[Graduation | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GraduationInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Graduation | Problem]:
    """Publish one graduation.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version, so re-sending a whole data set every night writes
    nothing new. The program must be an active `social_assistance` program of your agency.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationInput): What a publisher sends for a graduation (publikasi graduasi). The
            publisher, id, version
            and timestamps are set by the exchange. Example: {'attributes': {'pendamping':
            'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household':
            {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks':
            ['3201015508870002'], 'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis
            kemiskinan selama 12 bulan', 'region_code': '32.01.01.1002', 'source_record_id':
            'PKH-2026-3201-000123', 'welfare_decile': 6}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Graduation | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: GraduationInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Graduation | Problem | None:
    """Publish one graduation.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version, so re-sending a whole data set every night writes
    nothing new. The program must be an active `social_assistance` program of your agency.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationInput): What a publisher sends for a graduation (publikasi graduasi). The
            publisher, id, version
            and timestamps are set by the exchange. Example: {'attributes': {'pendamping':
            'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household':
            {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks':
            ['3201015508870002'], 'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis
            kemiskinan selama 12 bulan', 'region_code': '32.01.01.1002', 'source_record_id':
            'PKH-2026-3201-000123', 'welfare_decile': 6}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Graduation | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GraduationInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Graduation | Problem]:
    """Publish one graduation.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version, so re-sending a whole data set every night writes
    nothing new. The program must be an active `social_assistance` program of your agency.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationInput): What a publisher sends for a graduation (publikasi graduasi). The
            publisher, id, version
            and timestamps are set by the exchange. Example: {'attributes': {'pendamping':
            'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household':
            {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks':
            ['3201015508870002'], 'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis
            kemiskinan selama 12 bulan', 'region_code': '32.01.01.1002', 'source_record_id':
            'PKH-2026-3201-000123', 'welfare_decile': 6}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Graduation | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GraduationInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Graduation | Problem | None:
    """Publish one graduation.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version, so re-sending a whole data set every night writes
    nothing new. The program must be an active `social_assistance` program of your agency.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationInput): What a publisher sends for a graduation (publikasi graduasi). The
            publisher, id, version
            and timestamps are set by the exchange. Example: {'attributes': {'pendamping':
            'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household':
            {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks':
            ['3201015508870002'], 'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis
            kemiskinan selama 12 bulan', 'region_code': '32.01.01.1002', 'source_record_id':
            'PKH-2026-3201-000123', 'welfare_decile': 6}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Graduation | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            if_match=if_match,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
