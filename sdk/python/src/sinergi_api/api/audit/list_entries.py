import datetime
from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.entry_page import EntryPage
from ...models.list_entries_outcome import ListEntriesOutcome
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    client_query: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    route: str | Unset = UNSET,
    outcome: ListEntriesOutcome | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    json_from_: str | Unset = UNSET
    if not isinstance(from_, Unset):
        json_from_ = from_.isoformat()
    params["from"] = json_from_

    json_to: str | Unset = UNSET
    if not isinstance(to, Unset):
        json_to = to.isoformat()
    params["to"] = json_to

    params["client"] = client_query

    params["agency"] = agency

    params["purpose"] = purpose

    params["route"] = route

    json_outcome: str | Unset = UNSET
    if not isinstance(outcome, Unset):
        json_outcome = outcome.value

    params["outcome"] = json_outcome

    json_record_id: str | Unset = UNSET
    if not isinstance(record_id, Unset):
        json_record_id = str(record_id)
    params["record_id"] = json_record_id

    params["nik"] = nik

    params["kk"] = kk

    params["request_id"] = request_id

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/entries",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> EntryPage | Problem | None:
    if response.status_code == 200:
        response_200 = EntryPage.from_dict(response.json())

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
) -> Response[EntryPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    client_query: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    route: str | Unset = UNSET,
    outcome: ListEntriesOutcome | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[EntryPage | Problem]:
    """Search the audit log.

     Entries that joined the tree (within moments of their request), oldest first, filtered;
    every filter narrows the result. Follow `next_cursor` for further pages. A look-up by
    `nik` or `kk` must declare its purpose and is limited per client (`429` beyond it).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        client_query (str | Unset):
        agency (str | Unset):
        purpose (str | Unset):
        route (str | Unset):
        outcome (ListEntriesOutcome | Unset): How a request ended, from the auditor's point of
            view.
        record_id (UUID | Unset):
        nik (str | Unset):
        kk (str | Unset):
        request_id (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        client_query=client_query,
        agency=agency,
        purpose=purpose,
        route=route,
        outcome=outcome,
        record_id=record_id,
        nik=nik,
        kk=kk,
        request_id=request_id,
        limit=limit,
        cursor=cursor,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    client_query: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    route: str | Unset = UNSET,
    outcome: ListEntriesOutcome | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> EntryPage | Problem | None:
    """Search the audit log.

     Entries that joined the tree (within moments of their request), oldest first, filtered;
    every filter narrows the result. Follow `next_cursor` for further pages. A look-up by
    `nik` or `kk` must declare its purpose and is limited per client (`429` beyond it).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        client_query (str | Unset):
        agency (str | Unset):
        purpose (str | Unset):
        route (str | Unset):
        outcome (ListEntriesOutcome | Unset): How a request ended, from the auditor's point of
            view.
        record_id (UUID | Unset):
        nik (str | Unset):
        kk (str | Unset):
        request_id (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPage | Problem
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        client_query=client_query,
        agency=agency,
        purpose=purpose,
        route=route,
        outcome=outcome,
        record_id=record_id,
        nik=nik,
        kk=kk,
        request_id=request_id,
        limit=limit,
        cursor=cursor,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    client_query: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    route: str | Unset = UNSET,
    outcome: ListEntriesOutcome | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[EntryPage | Problem]:
    """Search the audit log.

     Entries that joined the tree (within moments of their request), oldest first, filtered;
    every filter narrows the result. Follow `next_cursor` for further pages. A look-up by
    `nik` or `kk` must declare its purpose and is limited per client (`429` beyond it).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        client_query (str | Unset):
        agency (str | Unset):
        purpose (str | Unset):
        route (str | Unset):
        outcome (ListEntriesOutcome | Unset): How a request ended, from the auditor's point of
            view.
        record_id (UUID | Unset):
        nik (str | Unset):
        kk (str | Unset):
        request_id (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[EntryPage | Problem]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        client_query=client_query,
        agency=agency,
        purpose=purpose,
        route=route,
        outcome=outcome,
        record_id=record_id,
        nik=nik,
        kk=kk,
        request_id=request_id,
        limit=limit,
        cursor=cursor,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: datetime.datetime | Unset = UNSET,
    to: datetime.datetime | Unset = UNSET,
    client_query: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    purpose: str | Unset = UNSET,
    route: str | Unset = UNSET,
    outcome: ListEntriesOutcome | Unset = UNSET,
    record_id: UUID | Unset = UNSET,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    request_id: str | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> EntryPage | Problem | None:
    """Search the audit log.

     Entries that joined the tree (within moments of their request), oldest first, filtered;
    every filter narrows the result. Follow `next_cursor` for further pages. A look-up by
    `nik` or `kk` must declare its purpose and is limited per client (`429` beyond it).

    Args:
        from_ (datetime.datetime | Unset):
        to (datetime.datetime | Unset):
        client_query (str | Unset):
        agency (str | Unset):
        purpose (str | Unset):
        route (str | Unset):
        outcome (ListEntriesOutcome | Unset): How a request ended, from the auditor's point of
            view.
        record_id (UUID | Unset):
        nik (str | Unset):
        kk (str | Unset):
        request_id (str | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        EntryPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            client_query=client_query,
            agency=agency,
            purpose=purpose,
            route=route,
            outcome=outcome,
            record_id=record_id,
            nik=nik,
            kk=kk,
            request_id=request_id,
            limit=limit,
            cursor=cursor,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
