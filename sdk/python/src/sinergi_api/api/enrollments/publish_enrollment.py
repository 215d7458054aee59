from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.enrollment import Enrollment
from ...models.enrollment_input import EnrollmentInput
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: EnrollmentInput,
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
        "url": "/v1/enrollments",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Enrollment | Problem | None:
    if response.status_code == 200:
        response_200 = Enrollment.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Enrollment.from_dict(response.json())

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
) -> Response[Enrollment | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: EnrollmentInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Enrollment | Problem]:
    """Publish one enrollment.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version. The program must be an active program of your
    agency; `graduation_id`, when given, must name a graduation published on the exchange.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (EnrollmentInput): What a publisher sends for an enrollment (kepesertaan program).
            The publisher, id,
            version and timestamps are set by the exchange. Example: {'attributes': {'kelompok_kerja':
            'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on': '2026-08-01',
            'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject':
            {'kk': '3201012308150007', 'nik': '3201011507850003'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Enrollment | Problem]
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
    body: EnrollmentInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Enrollment | Problem | None:
    """Publish one enrollment.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version. The program must be an active program of your
    agency; `graduation_id`, when given, must name a graduation published on the exchange.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (EnrollmentInput): What a publisher sends for an enrollment (kepesertaan program).
            The publisher, id,
            version and timestamps are set by the exchange. Example: {'attributes': {'kelompok_kerja':
            'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on': '2026-08-01',
            'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject':
            {'kk': '3201012308150007', 'nik': '3201011507850003'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Enrollment | Problem
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
    body: EnrollmentInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Enrollment | Problem]:
    """Publish one enrollment.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version. The program must be an active program of your
    agency; `graduation_id`, when given, must name a graduation published on the exchange.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (EnrollmentInput): What a publisher sends for an enrollment (kepesertaan program).
            The publisher, id,
            version and timestamps are set by the exchange. Example: {'attributes': {'kelompok_kerja':
            'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on': '2026-08-01',
            'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject':
            {'kk': '3201012308150007', 'nik': '3201011507850003'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Enrollment | Problem]
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
    body: EnrollmentInput,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Enrollment | Problem | None:
    """Publish one enrollment.

     Upserts on (your agency, `source_record_id`): `201` with `Sinergi-Result: created` for a
    new record, `200` with `updated` (version + 1) or `unchanged` when the canonical content
    is the same as the current version. The program must be an active program of your
    agency; `graduation_id`, when given, must name a graduation published on the exchange.
    Send `If-Match` with the ETag you last saw to write only if nobody changed the record since.

    Args:
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (EnrollmentInput): What a publisher sends for an enrollment (kepesertaan program).
            The publisher, id,
            version and timestamps are set by the exchange. Example: {'attributes': {'kelompok_kerja':
            'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on': '2026-08-01',
            'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject':
            {'kk': '3201012308150007', 'nik': '3201011507850003'}}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Enrollment | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            if_match=if_match,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
