from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.household_event import HouseholdEvent
from ...models.new_household_event import NewHouseholdEvent
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: NewHouseholdEvent,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/household-events",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> HouseholdEvent | Problem | None:
    if response.status_code == 200:
        response_200 = HouseholdEvent.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = HouseholdEvent.from_dict(response.json())

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
) -> Response[HouseholdEvent | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewHouseholdEvent,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[HouseholdEvent | Problem]:
    """Record a household event.

     What happened to family cards (KK): a `split` (pecah KK), a `merge`, members joining or
    leaving a card, or a `renumber`, with the day it happened (`effective_on`) and who
    established it (`source`). Records keep the KK they were published with; the event links
    the cards, so that the follow-up watch and searches with `follow_lineage=true` follow
    the family to its new cards.

    Idempotent per `source_record_id`: the same event again answers 200 with the one
    recorded; a different one under the same id is a 409. An event of another agency that
    tells the same change differently (the same card's change on the same day, or the same
    member moved elsewhere) does not stop this one: both are kept and each names the other
    in `conflicts_with`.

    Args:
        sinergi_purpose (str | Unset):
        body (NewHouseholdEvent): A household event as an agency sends it. Example:
            {'effective_on': '2026-08-17', 'kind': 'split', 'member_moves': [{'from_kk':
            '3201012308150007', 'nik': '3201014402990004', 'to_kk': '3201011709260003'}],
            'predecessor_kks': ['3201012308150007'], 'source': 'dukcapil', 'source_record_id': 'PECAH-
            KK-2026-0042', 'successor_kks': ['3201012308150007', '3201011709260003']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HouseholdEvent | Problem]
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
    body: NewHouseholdEvent,
    sinergi_purpose: str | Unset = UNSET,
) -> HouseholdEvent | Problem | None:
    """Record a household event.

     What happened to family cards (KK): a `split` (pecah KK), a `merge`, members joining or
    leaving a card, or a `renumber`, with the day it happened (`effective_on`) and who
    established it (`source`). Records keep the KK they were published with; the event links
    the cards, so that the follow-up watch and searches with `follow_lineage=true` follow
    the family to its new cards.

    Idempotent per `source_record_id`: the same event again answers 200 with the one
    recorded; a different one under the same id is a 409. An event of another agency that
    tells the same change differently (the same card's change on the same day, or the same
    member moved elsewhere) does not stop this one: both are kept and each names the other
    in `conflicts_with`.

    Args:
        sinergi_purpose (str | Unset):
        body (NewHouseholdEvent): A household event as an agency sends it. Example:
            {'effective_on': '2026-08-17', 'kind': 'split', 'member_moves': [{'from_kk':
            '3201012308150007', 'nik': '3201014402990004', 'to_kk': '3201011709260003'}],
            'predecessor_kks': ['3201012308150007'], 'source': 'dukcapil', 'source_record_id': 'PECAH-
            KK-2026-0042', 'successor_kks': ['3201012308150007', '3201011709260003']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HouseholdEvent | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewHouseholdEvent,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[HouseholdEvent | Problem]:
    """Record a household event.

     What happened to family cards (KK): a `split` (pecah KK), a `merge`, members joining or
    leaving a card, or a `renumber`, with the day it happened (`effective_on`) and who
    established it (`source`). Records keep the KK they were published with; the event links
    the cards, so that the follow-up watch and searches with `follow_lineage=true` follow
    the family to its new cards.

    Idempotent per `source_record_id`: the same event again answers 200 with the one
    recorded; a different one under the same id is a 409. An event of another agency that
    tells the same change differently (the same card's change on the same day, or the same
    member moved elsewhere) does not stop this one: both are kept and each names the other
    in `conflicts_with`.

    Args:
        sinergi_purpose (str | Unset):
        body (NewHouseholdEvent): A household event as an agency sends it. Example:
            {'effective_on': '2026-08-17', 'kind': 'split', 'member_moves': [{'from_kk':
            '3201012308150007', 'nik': '3201014402990004', 'to_kk': '3201011709260003'}],
            'predecessor_kks': ['3201012308150007'], 'source': 'dukcapil', 'source_record_id': 'PECAH-
            KK-2026-0042', 'successor_kks': ['3201012308150007', '3201011709260003']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[HouseholdEvent | Problem]
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
    body: NewHouseholdEvent,
    sinergi_purpose: str | Unset = UNSET,
) -> HouseholdEvent | Problem | None:
    """Record a household event.

     What happened to family cards (KK): a `split` (pecah KK), a `merge`, members joining or
    leaving a card, or a `renumber`, with the day it happened (`effective_on`) and who
    established it (`source`). Records keep the KK they were published with; the event links
    the cards, so that the follow-up watch and searches with `follow_lineage=true` follow
    the family to its new cards.

    Idempotent per `source_record_id`: the same event again answers 200 with the one
    recorded; a different one under the same id is a 409. An event of another agency that
    tells the same change differently (the same card's change on the same day, or the same
    member moved elsewhere) does not stop this one: both are kept and each names the other
    in `conflicts_with`.

    Args:
        sinergi_purpose (str | Unset):
        body (NewHouseholdEvent): A household event as an agency sends it. Example:
            {'effective_on': '2026-08-17', 'kind': 'split', 'member_moves': [{'from_kk':
            '3201012308150007', 'nik': '3201014402990004', 'to_kk': '3201011709260003'}],
            'predecessor_kks': ['3201012308150007'], 'source': 'dukcapil', 'source_record_id': 'PECAH-
            KK-2026-0042', 'successor_kks': ['3201012308150007', '3201011709260003']}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        HouseholdEvent | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
