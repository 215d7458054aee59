from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agreement import Agreement
from ...models.problem import Problem
from ...models.terms import Terms
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: Terms,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/v1/agreements/{id}".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Agreement | Problem | None:
    if response.status_code == 200:
        response_200 = Agreement.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Problem.from_dict(response.json())

        return response_404

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[Agreement | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: Terms,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Agreement | Problem]:
    """Change an agreement's terms.

     Either party sends the whole new terms. Terms that grant nothing beyond those in force
    (fewer fields, kinds, programs, regions, purposes or search keys, an earlier end, a
    shorter retention) are in force at once. Terms that grant more, or change the lawful
    basis, legal reference or document, become a pending version (`pending_version`) that
    the provider approves; the terms in force stay until then. Send `If-Match` with the
    agreement's ETag so as not to overwrite a change you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (Terms): What a provider lets a consumer read: one version of an agreement's terms.
            Example: {'fields': ['/household/kk', '/household/head_nik', '/region_code',
            '/graduation_type', '/graduated_on', '/welfare_decile'], 'lawful_basis': 'public_task',
            'legal_reference': 'PKS Nomor 12/PKS/2026 antara Kemensos dan Kemendes PDT', 'programs':
            ['PKH', 'SEMBAKO'], 'purposes': ['PEMBERDAYAAN_EKONOMI'], 'record_kinds': ['graduation'],
            'retention_days': 365, 'search_keys': ['kk'], 'valid_from': '2026-01-01T00:00:00Z',
            'valid_until': '2027-12-31T16:59:59Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: Terms,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Agreement | Problem | None:
    """Change an agreement's terms.

     Either party sends the whole new terms. Terms that grant nothing beyond those in force
    (fewer fields, kinds, programs, regions, purposes or search keys, an earlier end, a
    shorter retention) are in force at once. Terms that grant more, or change the lawful
    basis, legal reference or document, become a pending version (`pending_version`) that
    the provider approves; the terms in force stay until then. Send `If-Match` with the
    agreement's ETag so as not to overwrite a change you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (Terms): What a provider lets a consumer read: one version of an agreement's terms.
            Example: {'fields': ['/household/kk', '/household/head_nik', '/region_code',
            '/graduation_type', '/graduated_on', '/welfare_decile'], 'lawful_basis': 'public_task',
            'legal_reference': 'PKS Nomor 12/PKS/2026 antara Kemensos dan Kemendes PDT', 'programs':
            ['PKH', 'SEMBAKO'], 'purposes': ['PEMBERDAYAAN_EKONOMI'], 'record_kinds': ['graduation'],
            'retention_days': 365, 'search_keys': ['kk'], 'valid_from': '2026-01-01T00:00:00Z',
            'valid_until': '2027-12-31T16:59:59Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: Terms,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Agreement | Problem]:
    """Change an agreement's terms.

     Either party sends the whole new terms. Terms that grant nothing beyond those in force
    (fewer fields, kinds, programs, regions, purposes or search keys, an earlier end, a
    shorter retention) are in force at once. Terms that grant more, or change the lawful
    basis, legal reference or document, become a pending version (`pending_version`) that
    the provider approves; the terms in force stay until then. Send `If-Match` with the
    agreement's ETag so as not to overwrite a change you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (Terms): What a provider lets a consumer read: one version of an agreement's terms.
            Example: {'fields': ['/household/kk', '/household/head_nik', '/region_code',
            '/graduation_type', '/graduated_on', '/welfare_decile'], 'lawful_basis': 'public_task',
            'legal_reference': 'PKS Nomor 12/PKS/2026 antara Kemensos dan Kemendes PDT', 'programs':
            ['PKH', 'SEMBAKO'], 'purposes': ['PEMBERDAYAAN_EKONOMI'], 'record_kinds': ['graduation'],
            'retention_days': 365, 'search_keys': ['kk'], 'valid_from': '2026-01-01T00:00:00Z',
            'valid_until': '2027-12-31T16:59:59Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    body: Terms,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Agreement | Problem | None:
    """Change an agreement's terms.

     Either party sends the whole new terms. Terms that grant nothing beyond those in force
    (fewer fields, kinds, programs, regions, purposes or search keys, an earlier end, a
    shorter retention) are in force at once. Terms that grant more, or change the lawful
    basis, legal reference or document, become a pending version (`pending_version`) that
    the provider approves; the terms in force stay until then. Send `If-Match` with the
    agreement's ETag so as not to overwrite a change you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (Terms): What a provider lets a consumer read: one version of an agreement's terms.
            Example: {'fields': ['/household/kk', '/household/head_nik', '/region_code',
            '/graduation_type', '/graduated_on', '/welfare_decile'], 'lawful_basis': 'public_task',
            'legal_reference': 'PKS Nomor 12/PKS/2026 antara Kemensos dan Kemendes PDT', 'programs':
            ['PKH', 'SEMBAKO'], 'purposes': ['PEMBERDAYAAN_EKONOMI'], 'record_kinds': ['graduation'],
            'retention_days': 365, 'search_keys': ['kk'], 'valid_from': '2026-01-01T00:00:00Z',
            'valid_until': '2027-12-31T16:59:59Z'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
            if_match=if_match,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
