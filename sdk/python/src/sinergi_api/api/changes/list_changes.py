from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.feed_page import FeedPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    after: int | Unset = UNSET,
    types: str | Unset = UNSET,
    programs: str | Unset = UNSET,
    publishers: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    wait: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["after"] = after

    params["types"] = types

    params["programs"] = programs

    params["publishers"] = publishers

    params["limit"] = limit

    params["wait"] = wait

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/changes",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> FeedPage | Problem | None:
    if response.status_code == 200:
        response_200 = FeedPage.from_dict(response.json())

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
) -> Response[FeedPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    types: str | Unset = UNSET,
    programs: str | Unset = UNSET,
    publishers: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    wait: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[FeedPage | Problem]:
    """Follow the changes.

     Every graduation and enrollment that was created, updated (a new version, including a
    retracted record published again) or retracted, in position order, with the record as of
    that version. Positions strictly increase; asking again with `after=<next>` never misses
    a committed change and never repeats one, however publishers' writes interleave. A change
    is visible about 0.1 s after its write commits. With `wait`, an empty answer is held back
    until a change arrives or the time is up.

    The feed shows your agency's own changes and, when `Sinergi-Purpose` declares a purpose
    code, those of other agencies that a data-sharing agreement in force covers for it, each
    record shown with the agreement's fields only; `excluded_publishers` lists the others and
    why. Naming in `publishers` an agency that no agreement covers is refused with 403 naming
    the reason.

    With `types=agreement` (and `agreements:read`), the feed also carries the life of the
    data-sharing agreements your agency is party to (the coordinating ministry: all of them), `type:
    agreement`:
    proposed, amended, approved, resumed, suspended, terminated, and `expiring` 30 days
    before the end of the terms in force, then `expired`. With `types=referral` (and
    `referrals:read`), it carries every step of the referrals your agency made, was offered
    or whose family it graduated (the coordinating ministry: all), `type: referral`:
    offered, accepted, declined, withdrawn, released, enrolled, overdue, lapsed; the family
    shown as your agreement with the graduation's publisher allows. With `types=follow_up`
    (and `referrals:read`), it carries the follow-up signals of the graduations your agency
    published (the coordinating ministry: all), `type: follow_up`: `raised` and `closed`,
    the signal as in `GET /v1/follow-up` (`graduation.unreferred`, `graduation.relapse`,
    `referral.overdue`). `programs` and `publishers` filter records only. A consumer skips a type or
    action it does not know.

    Args:
        after (int | Unset):
        types (str | Unset):
        programs (str | Unset):
        publishers (str | Unset):
        limit (int | Unset):
        wait (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        types=types,
        programs=programs,
        publishers=publishers,
        limit=limit,
        wait=wait,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    types: str | Unset = UNSET,
    programs: str | Unset = UNSET,
    publishers: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    wait: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> FeedPage | Problem | None:
    """Follow the changes.

     Every graduation and enrollment that was created, updated (a new version, including a
    retracted record published again) or retracted, in position order, with the record as of
    that version. Positions strictly increase; asking again with `after=<next>` never misses
    a committed change and never repeats one, however publishers' writes interleave. A change
    is visible about 0.1 s after its write commits. With `wait`, an empty answer is held back
    until a change arrives or the time is up.

    The feed shows your agency's own changes and, when `Sinergi-Purpose` declares a purpose
    code, those of other agencies that a data-sharing agreement in force covers for it, each
    record shown with the agreement's fields only; `excluded_publishers` lists the others and
    why. Naming in `publishers` an agency that no agreement covers is refused with 403 naming
    the reason.

    With `types=agreement` (and `agreements:read`), the feed also carries the life of the
    data-sharing agreements your agency is party to (the coordinating ministry: all of them), `type:
    agreement`:
    proposed, amended, approved, resumed, suspended, terminated, and `expiring` 30 days
    before the end of the terms in force, then `expired`. With `types=referral` (and
    `referrals:read`), it carries every step of the referrals your agency made, was offered
    or whose family it graduated (the coordinating ministry: all), `type: referral`:
    offered, accepted, declined, withdrawn, released, enrolled, overdue, lapsed; the family
    shown as your agreement with the graduation's publisher allows. With `types=follow_up`
    (and `referrals:read`), it carries the follow-up signals of the graduations your agency
    published (the coordinating ministry: all), `type: follow_up`: `raised` and `closed`,
    the signal as in `GET /v1/follow-up` (`graduation.unreferred`, `graduation.relapse`,
    `referral.overdue`). `programs` and `publishers` filter records only. A consumer skips a type or
    action it does not know.

    Args:
        after (int | Unset):
        types (str | Unset):
        programs (str | Unset):
        publishers (str | Unset):
        limit (int | Unset):
        wait (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedPage | Problem
    """

    return sync_detailed(
        client=client,
        after=after,
        types=types,
        programs=programs,
        publishers=publishers,
        limit=limit,
        wait=wait,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    types: str | Unset = UNSET,
    programs: str | Unset = UNSET,
    publishers: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    wait: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[FeedPage | Problem]:
    """Follow the changes.

     Every graduation and enrollment that was created, updated (a new version, including a
    retracted record published again) or retracted, in position order, with the record as of
    that version. Positions strictly increase; asking again with `after=<next>` never misses
    a committed change and never repeats one, however publishers' writes interleave. A change
    is visible about 0.1 s after its write commits. With `wait`, an empty answer is held back
    until a change arrives or the time is up.

    The feed shows your agency's own changes and, when `Sinergi-Purpose` declares a purpose
    code, those of other agencies that a data-sharing agreement in force covers for it, each
    record shown with the agreement's fields only; `excluded_publishers` lists the others and
    why. Naming in `publishers` an agency that no agreement covers is refused with 403 naming
    the reason.

    With `types=agreement` (and `agreements:read`), the feed also carries the life of the
    data-sharing agreements your agency is party to (the coordinating ministry: all of them), `type:
    agreement`:
    proposed, amended, approved, resumed, suspended, terminated, and `expiring` 30 days
    before the end of the terms in force, then `expired`. With `types=referral` (and
    `referrals:read`), it carries every step of the referrals your agency made, was offered
    or whose family it graduated (the coordinating ministry: all), `type: referral`:
    offered, accepted, declined, withdrawn, released, enrolled, overdue, lapsed; the family
    shown as your agreement with the graduation's publisher allows. With `types=follow_up`
    (and `referrals:read`), it carries the follow-up signals of the graduations your agency
    published (the coordinating ministry: all), `type: follow_up`: `raised` and `closed`,
    the signal as in `GET /v1/follow-up` (`graduation.unreferred`, `graduation.relapse`,
    `referral.overdue`). `programs` and `publishers` filter records only. A consumer skips a type or
    action it does not know.

    Args:
        after (int | Unset):
        types (str | Unset):
        programs (str | Unset):
        publishers (str | Unset):
        limit (int | Unset):
        wait (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[FeedPage | Problem]
    """

    kwargs = _get_kwargs(
        after=after,
        types=types,
        programs=programs,
        publishers=publishers,
        limit=limit,
        wait=wait,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    after: int | Unset = UNSET,
    types: str | Unset = UNSET,
    programs: str | Unset = UNSET,
    publishers: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    wait: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> FeedPage | Problem | None:
    """Follow the changes.

     Every graduation and enrollment that was created, updated (a new version, including a
    retracted record published again) or retracted, in position order, with the record as of
    that version. Positions strictly increase; asking again with `after=<next>` never misses
    a committed change and never repeats one, however publishers' writes interleave. A change
    is visible about 0.1 s after its write commits. With `wait`, an empty answer is held back
    until a change arrives or the time is up.

    The feed shows your agency's own changes and, when `Sinergi-Purpose` declares a purpose
    code, those of other agencies that a data-sharing agreement in force covers for it, each
    record shown with the agreement's fields only; `excluded_publishers` lists the others and
    why. Naming in `publishers` an agency that no agreement covers is refused with 403 naming
    the reason.

    With `types=agreement` (and `agreements:read`), the feed also carries the life of the
    data-sharing agreements your agency is party to (the coordinating ministry: all of them), `type:
    agreement`:
    proposed, amended, approved, resumed, suspended, terminated, and `expiring` 30 days
    before the end of the terms in force, then `expired`. With `types=referral` (and
    `referrals:read`), it carries every step of the referrals your agency made, was offered
    or whose family it graduated (the coordinating ministry: all), `type: referral`:
    offered, accepted, declined, withdrawn, released, enrolled, overdue, lapsed; the family
    shown as your agreement with the graduation's publisher allows. With `types=follow_up`
    (and `referrals:read`), it carries the follow-up signals of the graduations your agency
    published (the coordinating ministry: all), `type: follow_up`: `raised` and `closed`,
    the signal as in `GET /v1/follow-up` (`graduation.unreferred`, `graduation.relapse`,
    `referral.overdue`). `programs` and `publishers` filter records only. A consumer skips a type or
    action it does not know.

    Args:
        after (int | Unset):
        types (str | Unset):
        programs (str | Unset):
        publishers (str | Unset):
        limit (int | Unset):
        wait (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        FeedPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            after=after,
            types=types,
            programs=programs,
            publishers=publishers,
            limit=limit,
            wait=wait,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
