from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.referral import Referral
from ...models.transition_request import TransitionRequest
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    body: TransitionRequest,
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
        "url": "/v1/referrals/{id}/transitions".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Referral | None:
    if response.status_code == 200:
        response_200 = Referral.from_dict(response.json())

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
) -> Response[Problem | Referral]:
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
    body: TransitionRequest,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Take a step in a referral's life.

     `to` is the state asked for. An agency it is offered to `accepted` (the first wins) or
    `declined` (with a `decline` reason); the owner `enrolled` (with its `enrollment_id`;
    publishing that enrollment does it too) or `released` (with a `release` reason: the
    referral is offered again to the agencies that have not answered, then to the
    fallbacks); the requester `withdrawn` (with a `withdrawal` reason). `lapsed` is only
    the exchange's, when a deadline passes. A step the caller may not take from the
    referral's status gets 409 `illegal-transition` with `allowed_transitions`. Send
    `If-Match` with the ETag last read so as not to act on a state you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (TransitionRequest): A step a client asks for. Example: {'note': 'Kuota padat karya
            2026 sudah penuh', 'reason_code': 'KUOTA_PENUH', 'to': 'declined'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
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
    body: TransitionRequest,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Take a step in a referral's life.

     `to` is the state asked for. An agency it is offered to `accepted` (the first wins) or
    `declined` (with a `decline` reason); the owner `enrolled` (with its `enrollment_id`;
    publishing that enrollment does it too) or `released` (with a `release` reason: the
    referral is offered again to the agencies that have not answered, then to the
    fallbacks); the requester `withdrawn` (with a `withdrawal` reason). `lapsed` is only
    the exchange's, when a deadline passes. A step the caller may not take from the
    referral's status gets 409 `illegal-transition` with `allowed_transitions`. Send
    `If-Match` with the ETag last read so as not to act on a state you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (TransitionRequest): A step a client asks for. Example: {'note': 'Kuota padat karya
            2026 sudah penuh', 'reason_code': 'KUOTA_PENUH', 'to': 'declined'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
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
    body: TransitionRequest,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Take a step in a referral's life.

     `to` is the state asked for. An agency it is offered to `accepted` (the first wins) or
    `declined` (with a `decline` reason); the owner `enrolled` (with its `enrollment_id`;
    publishing that enrollment does it too) or `released` (with a `release` reason: the
    referral is offered again to the agencies that have not answered, then to the
    fallbacks); the requester `withdrawn` (with a `withdrawal` reason). `lapsed` is only
    the exchange's, when a deadline passes. A step the caller may not take from the
    referral's status gets 409 `illegal-transition` with `allowed_transitions`. Send
    `If-Match` with the ETag last read so as not to act on a state you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (TransitionRequest): A step a client asks for. Example: {'note': 'Kuota padat karya
            2026 sudah penuh', 'reason_code': 'KUOTA_PENUH', 'to': 'declined'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
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
    body: TransitionRequest,
    if_match: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Take a step in a referral's life.

     `to` is the state asked for. An agency it is offered to `accepted` (the first wins) or
    `declined` (with a `decline` reason); the owner `enrolled` (with its `enrollment_id`;
    publishing that enrollment does it too) or `released` (with a `release` reason: the
    referral is offered again to the agencies that have not answered, then to the
    fallbacks); the requester `withdrawn` (with a `withdrawal` reason). `lapsed` is only
    the exchange's, when a deadline passes. A step the caller may not take from the
    referral's status gets 409 `illegal-transition` with `allowed_transitions`. Send
    `If-Match` with the ETag last read so as not to act on a state you have not seen.

    Args:
        id (UUID):
        if_match (str | Unset):
        sinergi_purpose (str | Unset):
        body (TransitionRequest): A step a client asks for. Example: {'note': 'Kuota padat karya
            2026 sudah penuh', 'reason_code': 'KUOTA_PENUH', 'to': 'declined'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
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
