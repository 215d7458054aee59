from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_results import BatchResults
from ...models.graduation_batch import GraduationBatch
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: GraduationBatch,
    atomic: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["atomic"] = atomic

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/graduations/batch",
        "params": params,
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> BatchResults | Problem | None:
    if response.status_code == 200:
        response_200 = BatchResults.from_dict(response.json())

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
) -> Response[BatchResults | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: GraduationBatch,
    atomic: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[BatchResults | Problem]:
    """Publish up to 1,000 graduations at once.

     One result per item, in input order, each `created`, `updated`, `unchanged` or
    `rejected` with errors pointing into the batch (`/items/7/household/kk`). Valid items
    are published even when others are rejected, unless `atomic=true`: then any rejected
    item fails the whole batch with 400 and nothing is written. Two items with the same
    `source_record_id` are both rejected.

    Args:
        atomic (bool | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationBatch): A batch of graduations to publish. Example: {'items':
            [{'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30',
            'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'member_niks': ['3201015508870002'], 'program': 'PKH', 'reason':
            'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResults | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        atomic=atomic,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: GraduationBatch,
    atomic: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> BatchResults | Problem | None:
    """Publish up to 1,000 graduations at once.

     One result per item, in input order, each `created`, `updated`, `unchanged` or
    `rejected` with errors pointing into the batch (`/items/7/household/kk`). Valid items
    are published even when others are rejected, unless `atomic=true`: then any rejected
    item fails the whole batch with 400 and nothing is written. Two items with the same
    `source_record_id` are both rejected.

    Args:
        atomic (bool | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationBatch): A batch of graduations to publish. Example: {'items':
            [{'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30',
            'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'member_niks': ['3201015508870002'], 'program': 'PKH', 'reason':
            'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResults | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        atomic=atomic,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: GraduationBatch,
    atomic: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[BatchResults | Problem]:
    """Publish up to 1,000 graduations at once.

     One result per item, in input order, each `created`, `updated`, `unchanged` or
    `rejected` with errors pointing into the batch (`/items/7/household/kk`). Valid items
    are published even when others are rejected, unless `atomic=true`: then any rejected
    item fails the whole batch with 400 and nothing is written. Two items with the same
    `source_record_id` are both rejected.

    Args:
        atomic (bool | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationBatch): A batch of graduations to publish. Example: {'items':
            [{'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30',
            'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'member_niks': ['3201015508870002'], 'program': 'PKH', 'reason':
            'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[BatchResults | Problem]
    """

    kwargs = _get_kwargs(
        body=body,
        atomic=atomic,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: GraduationBatch,
    atomic: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> BatchResults | Problem | None:
    """Publish up to 1,000 graduations at once.

     One result per item, in input order, each `created`, `updated`, `unchanged` or
    `rejected` with errors pointing into the batch (`/items/7/household/kk`). Valid items
    are published even when others are rejected, unless `atomic=true`: then any rejected
    item fails the whole batch with 400 and nothing is written. Two items with the same
    `source_record_id` are both rejected.

    Args:
        atomic (bool | Unset):
        sinergi_purpose (str | Unset):
        body (GraduationBatch): A batch of graduations to publish. Example: {'items':
            [{'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30',
            'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'member_niks': ['3201015508870002'], 'program': 'PKH', 'reason':
            'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}]}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        BatchResults | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            atomic=atomic,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
