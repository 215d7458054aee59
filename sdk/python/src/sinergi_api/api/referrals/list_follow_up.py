from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.signal_list import SignalList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    kind: str | Unset = UNSET,
    program: str | Unset = UNSET,
    region: str | Unset = UNSET,
    min_age_days: int | Unset = UNSET,
    include_closed: bool | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["kind"] = kind

    params["program"] = program

    params["region"] = region

    params["min_age_days"] = min_age_days

    params["include_closed"] = include_closed

    json_after: str | Unset = UNSET
    if not isinstance(after, Unset):
        json_after = str(after)
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/follow-up",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | SignalList | None:
    if response.status_code == 200:
        response_200 = SignalList.from_dict(response.json())

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
) -> Response[Problem | SignalList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    kind: str | Unset = UNSET,
    program: str | Unset = UNSET,
    region: str | Unset = UNSET,
    min_age_days: int | Unset = UNSET,
    include_closed: bool | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | SignalList]:
    """List follow-up signals.

     What the watch found about graduated families: `graduation.unreferred` (neither a
    referral nor an enrollment followed within 30 days of `graduated_on`),
    `graduation.relapse` (inside the monitoring window, 12 months by default, the family is
    enrolled in a social-assistance program again, by the head's or a member's NIK or under
    its KK, or a new version of the graduation puts its welfare decile at 4 or below), and
    `referral.overdue` (a referral passed `respond_by` or `complete_by`). Each names the
    records that raised it. Open signals by default, oldest first, in pages (`next`).

    An agency sees the signals of the graduations it published and the overdue signals of
    referrals it made or was offered; the coordinating ministry sees all.

    Args:
        kind (str | Unset):
        program (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        min_age_days (int | Unset):
        include_closed (bool | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalList]
    """

    kwargs = _get_kwargs(
        kind=kind,
        program=program,
        region=region,
        min_age_days=min_age_days,
        include_closed=include_closed,
        after=after,
        limit=limit,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    kind: str | Unset = UNSET,
    program: str | Unset = UNSET,
    region: str | Unset = UNSET,
    min_age_days: int | Unset = UNSET,
    include_closed: bool | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | SignalList | None:
    """List follow-up signals.

     What the watch found about graduated families: `graduation.unreferred` (neither a
    referral nor an enrollment followed within 30 days of `graduated_on`),
    `graduation.relapse` (inside the monitoring window, 12 months by default, the family is
    enrolled in a social-assistance program again, by the head's or a member's NIK or under
    its KK, or a new version of the graduation puts its welfare decile at 4 or below), and
    `referral.overdue` (a referral passed `respond_by` or `complete_by`). Each names the
    records that raised it. Open signals by default, oldest first, in pages (`next`).

    An agency sees the signals of the graduations it published and the overdue signals of
    referrals it made or was offered; the coordinating ministry sees all.

    Args:
        kind (str | Unset):
        program (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        min_age_days (int | Unset):
        include_closed (bool | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalList
    """

    return sync_detailed(
        client=client,
        kind=kind,
        program=program,
        region=region,
        min_age_days=min_age_days,
        include_closed=include_closed,
        after=after,
        limit=limit,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    kind: str | Unset = UNSET,
    program: str | Unset = UNSET,
    region: str | Unset = UNSET,
    min_age_days: int | Unset = UNSET,
    include_closed: bool | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | SignalList]:
    """List follow-up signals.

     What the watch found about graduated families: `graduation.unreferred` (neither a
    referral nor an enrollment followed within 30 days of `graduated_on`),
    `graduation.relapse` (inside the monitoring window, 12 months by default, the family is
    enrolled in a social-assistance program again, by the head's or a member's NIK or under
    its KK, or a new version of the graduation puts its welfare decile at 4 or below), and
    `referral.overdue` (a referral passed `respond_by` or `complete_by`). Each names the
    records that raised it. Open signals by default, oldest first, in pages (`next`).

    An agency sees the signals of the graduations it published and the overdue signals of
    referrals it made or was offered; the coordinating ministry sees all.

    Args:
        kind (str | Unset):
        program (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        min_age_days (int | Unset):
        include_closed (bool | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | SignalList]
    """

    kwargs = _get_kwargs(
        kind=kind,
        program=program,
        region=region,
        min_age_days=min_age_days,
        include_closed=include_closed,
        after=after,
        limit=limit,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    kind: str | Unset = UNSET,
    program: str | Unset = UNSET,
    region: str | Unset = UNSET,
    min_age_days: int | Unset = UNSET,
    include_closed: bool | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | SignalList | None:
    """List follow-up signals.

     What the watch found about graduated families: `graduation.unreferred` (neither a
    referral nor an enrollment followed within 30 days of `graduated_on`),
    `graduation.relapse` (inside the monitoring window, 12 months by default, the family is
    enrolled in a social-assistance program again, by the head's or a member's NIK or under
    its KK, or a new version of the graduation puts its welfare decile at 4 or below), and
    `referral.overdue` (a referral passed `respond_by` or `complete_by`). Each names the
    records that raised it. Open signals by default, oldest first, in pages (`next`).

    An agency sees the signals of the graduations it published and the overdue signals of
    referrals it made or was offered; the coordinating ministry sees all.

    Args:
        kind (str | Unset):
        program (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        min_age_days (int | Unset):
        include_closed (bool | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | SignalList
    """

    return (
        await asyncio_detailed(
            client=client,
            kind=kind,
            program=program,
            region=region,
            min_age_days=min_age_days,
            include_closed=include_closed,
            after=after,
            limit=limit,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
