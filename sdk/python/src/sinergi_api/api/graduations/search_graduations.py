import datetime
from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.graduation_page import GraduationPage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    follow_lineage: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    publisher: str | Unset = UNSET,
    region: str | Unset = UNSET,
    graduated_from: datetime.date | Unset = UNSET,
    graduated_to: datetime.date | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    include_retracted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["nik"] = nik

    params["kk"] = kk

    params["follow_lineage"] = follow_lineage

    params["program"] = program

    params["publisher"] = publisher

    params["region"] = region

    json_graduated_from: str | Unset = UNSET
    if not isinstance(graduated_from, Unset):
        json_graduated_from = graduated_from.isoformat()
    params["graduated_from"] = json_graduated_from

    json_graduated_to: str | Unset = UNSET
    if not isinstance(graduated_to, Unset):
        json_graduated_to = graduated_to.isoformat()
    params["graduated_to"] = json_graduated_to

    json_updated_after: str | Unset = UNSET
    if not isinstance(updated_after, Unset):
        json_updated_after = updated_after.isoformat()
    params["updated_after"] = json_updated_after

    params["include_retracted"] = include_retracted

    params["limit"] = limit

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/graduations",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GraduationPage | Problem | None:
    if response.status_code == 200:
        response_200 = GraduationPage.from_dict(response.json())

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
) -> Response[GraduationPage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    follow_lineage: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    publisher: str | Unset = UNSET,
    region: str | Unset = UNSET,
    graduated_from: datetime.date | Unset = UNSET,
    graduated_to: datetime.date | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    include_retracted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GraduationPage | Problem]:
    """Search graduations.

     Every agency's graduations, filtered, in the order they were first published. Follow
    `next_cursor` for further pages; paging stays correct while others publish.

    Args:
        nik (str | Unset):
        kk (str | Unset):
        follow_lineage (bool | Unset):
        program (str | Unset):
        publisher (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        graduated_from (datetime.date | Unset):
        graduated_to (datetime.date | Unset):
        updated_after (datetime.datetime | Unset):
        include_retracted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GraduationPage | Problem]
    """

    kwargs = _get_kwargs(
        nik=nik,
        kk=kk,
        follow_lineage=follow_lineage,
        program=program,
        publisher=publisher,
        region=region,
        graduated_from=graduated_from,
        graduated_to=graduated_to,
        updated_after=updated_after,
        include_retracted=include_retracted,
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
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    follow_lineage: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    publisher: str | Unset = UNSET,
    region: str | Unset = UNSET,
    graduated_from: datetime.date | Unset = UNSET,
    graduated_to: datetime.date | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    include_retracted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> GraduationPage | Problem | None:
    """Search graduations.

     Every agency's graduations, filtered, in the order they were first published. Follow
    `next_cursor` for further pages; paging stays correct while others publish.

    Args:
        nik (str | Unset):
        kk (str | Unset):
        follow_lineage (bool | Unset):
        program (str | Unset):
        publisher (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        graduated_from (datetime.date | Unset):
        graduated_to (datetime.date | Unset):
        updated_after (datetime.datetime | Unset):
        include_retracted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GraduationPage | Problem
    """

    return sync_detailed(
        client=client,
        nik=nik,
        kk=kk,
        follow_lineage=follow_lineage,
        program=program,
        publisher=publisher,
        region=region,
        graduated_from=graduated_from,
        graduated_to=graduated_to,
        updated_after=updated_after,
        include_retracted=include_retracted,
        limit=limit,
        cursor=cursor,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    follow_lineage: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    publisher: str | Unset = UNSET,
    region: str | Unset = UNSET,
    graduated_from: datetime.date | Unset = UNSET,
    graduated_to: datetime.date | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    include_retracted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GraduationPage | Problem]:
    """Search graduations.

     Every agency's graduations, filtered, in the order they were first published. Follow
    `next_cursor` for further pages; paging stays correct while others publish.

    Args:
        nik (str | Unset):
        kk (str | Unset):
        follow_lineage (bool | Unset):
        program (str | Unset):
        publisher (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        graduated_from (datetime.date | Unset):
        graduated_to (datetime.date | Unset):
        updated_after (datetime.datetime | Unset):
        include_retracted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GraduationPage | Problem]
    """

    kwargs = _get_kwargs(
        nik=nik,
        kk=kk,
        follow_lineage=follow_lineage,
        program=program,
        publisher=publisher,
        region=region,
        graduated_from=graduated_from,
        graduated_to=graduated_to,
        updated_after=updated_after,
        include_retracted=include_retracted,
        limit=limit,
        cursor=cursor,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    nik: str | Unset = UNSET,
    kk: str | Unset = UNSET,
    follow_lineage: bool | Unset = UNSET,
    program: str | Unset = UNSET,
    publisher: str | Unset = UNSET,
    region: str | Unset = UNSET,
    graduated_from: datetime.date | Unset = UNSET,
    graduated_to: datetime.date | Unset = UNSET,
    updated_after: datetime.datetime | Unset = UNSET,
    include_retracted: bool | Unset = UNSET,
    limit: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> GraduationPage | Problem | None:
    """Search graduations.

     Every agency's graduations, filtered, in the order they were first published. Follow
    `next_cursor` for further pages; paging stays correct while others publish.

    Args:
        nik (str | Unset):
        kk (str | Unset):
        follow_lineage (bool | Unset):
        program (str | Unset):
        publisher (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        graduated_from (datetime.date | Unset):
        graduated_to (datetime.date | Unset):
        updated_after (datetime.datetime | Unset):
        include_retracted (bool | Unset):
        limit (int | Unset):
        cursor (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GraduationPage | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            nik=nik,
            kk=kk,
            follow_lineage=follow_lineage,
            program=program,
            publisher=publisher,
            region=region,
            graduated_from=graduated_from,
            graduated_to=graduated_to,
            updated_after=updated_after,
            include_retracted=include_retracted,
            limit=limit,
            cursor=cursor,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
