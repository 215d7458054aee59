from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.graduation import Graduation
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    reason: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(if_match, Unset):
        headers["If-Match"] = if_match

    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["reason"] = reason

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/graduations/{id}".format(
            id=quote(str(id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Graduation | Problem | None:
    if response.status_code == 200:
        response_200 = Graduation.from_dict(response.json())

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

    if response.status_code == 412:
        response_412 = Problem.from_dict(response.json())

        return response_412

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
    id: UUID,
    *,
    client: AuthenticatedClient,
    reason: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Graduation | Problem]:
    """Retract one of your graduations.

     The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
    Publishing the same `source_record_id` again later restores it as a new version. Only
    the publisher may retract. Retracting a retracted record changes nothing
    (`Sinergi-Result: unchanged`).

    Args:
        id (UUID):
        reason (str | Unset):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Graduation | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        reason=reason,
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
    reason: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Graduation | Problem | None:
    """Retract one of your graduations.

     The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
    Publishing the same `source_record_id` again later restores it as a new version. Only
    the publisher may retract. Retracting a retracted record changes nothing
    (`Sinergi-Result: unchanged`).

    Args:
        id (UUID):
        reason (str | Unset):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Graduation | Problem
    """

    return sync_detailed(
        id=id,
        client=client,
        reason=reason,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    reason: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Graduation | Problem]:
    """Retract one of your graduations.

     The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
    Publishing the same `source_record_id` again later restores it as a new version. Only
    the publisher may retract. Retracting a retracted record changes nothing
    (`Sinergi-Result: unchanged`).

    Args:
        id (UUID):
        reason (str | Unset):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Graduation | Problem]
    """

    kwargs = _get_kwargs(
        id=id,
        reason=reason,
        if_match=if_match,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    reason: str | Unset = UNSET,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Graduation | Problem | None:
    """Retract one of your graduations.

     The record becomes a tombstone (`retracted: true`) as a new version; its history stays.
    Publishing the same `source_record_id` again later restores it as a new version. Only
    the publisher may retract. Retracting a retracted record changes nothing
    (`Sinergi-Result: unchanged`).

    Args:
        id (UUID):
        reason (str | Unset):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Graduation | Problem
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            reason=reason,
            if_match=if_match,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
