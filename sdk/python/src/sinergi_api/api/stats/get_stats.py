from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.stats_group_by import StatsGroupBy
from ...models.stats_table import StatsTable
from ...models.stats_table_name import StatsTableName
from ...types import UNSET, Response, Unset


def _get_kwargs(
    table: StatsTableName,
    *,
    by: StatsGroupBy | Unset = UNSET,
    program: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    region: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    json_by: str | Unset = UNSET
    if not isinstance(by, Unset):
        json_by = by.value

    params["by"] = json_by

    params["program"] = program

    params["agency"] = agency

    params["region"] = region

    params["from"] = from_

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/stats/{table}".format(
            table=quote(str(table), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | StatsTable | None:
    if response.status_code == 200:
        response_200 = StatsTable.from_dict(response.json())

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
) -> Response[Problem | StatsTable]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    table: StatsTableName,
    *,
    client: AuthenticatedClient,
    by: StatsGroupBy | Unset = UNSET,
    program: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    region: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | StatsTable]:
    """Get an aggregate statistics table.

     `table` is one of:
    - `graduations`: graduations by `graduation_type`, in the month of `graduated_on`;
    - `enrollments`: enrollments by `status`, in the month of `enrolled_on`;
    - `referrals`: referrals by `status`, in the month they were made;
    - `follow-up`: follow-up signals by kind, in the month they were raised;
    - `conversion`: graduations by what followed them (their first enrollment naming them,
      by days after `graduated_on`; else whether they were referred), in the month of
      `graduated_on`, with the shares enrolled within 30, 90 and 180 days and the median
      days to enrolling.

    Rows are grouped `by` month, program, agency, province or regency; `totals` holds each
    column's total and the grand total. Retracted records are not counted. Aggregates only:
    no NIK, KK or record id. Every count from 1 to 4, a cell's or a total's, is withheld
    (`suppressed: small`), and further counts are withheld (`suppressed: complementary`)
    until no withheld count can be computed from the published ones and the totals. Any
    agency's client with `stats:read` sees the same tables.

    Args:
        table (StatsTableName): What a table counts.
        by (StatsGroupBy | Unset): What a table's rows are.
        program (str | Unset):
        agency (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        from_ (str | Unset):
        to (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatsTable]
    """

    kwargs = _get_kwargs(
        table=table,
        by=by,
        program=program,
        agency=agency,
        region=region,
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    table: StatsTableName,
    *,
    client: AuthenticatedClient,
    by: StatsGroupBy | Unset = UNSET,
    program: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    region: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | StatsTable | None:
    """Get an aggregate statistics table.

     `table` is one of:
    - `graduations`: graduations by `graduation_type`, in the month of `graduated_on`;
    - `enrollments`: enrollments by `status`, in the month of `enrolled_on`;
    - `referrals`: referrals by `status`, in the month they were made;
    - `follow-up`: follow-up signals by kind, in the month they were raised;
    - `conversion`: graduations by what followed them (their first enrollment naming them,
      by days after `graduated_on`; else whether they were referred), in the month of
      `graduated_on`, with the shares enrolled within 30, 90 and 180 days and the median
      days to enrolling.

    Rows are grouped `by` month, program, agency, province or regency; `totals` holds each
    column's total and the grand total. Retracted records are not counted. Aggregates only:
    no NIK, KK or record id. Every count from 1 to 4, a cell's or a total's, is withheld
    (`suppressed: small`), and further counts are withheld (`suppressed: complementary`)
    until no withheld count can be computed from the published ones and the totals. Any
    agency's client with `stats:read` sees the same tables.

    Args:
        table (StatsTableName): What a table counts.
        by (StatsGroupBy | Unset): What a table's rows are.
        program (str | Unset):
        agency (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        from_ (str | Unset):
        to (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatsTable
    """

    return sync_detailed(
        table=table,
        client=client,
        by=by,
        program=program,
        agency=agency,
        region=region,
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    table: StatsTableName,
    *,
    client: AuthenticatedClient,
    by: StatsGroupBy | Unset = UNSET,
    program: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    region: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | StatsTable]:
    """Get an aggregate statistics table.

     `table` is one of:
    - `graduations`: graduations by `graduation_type`, in the month of `graduated_on`;
    - `enrollments`: enrollments by `status`, in the month of `enrolled_on`;
    - `referrals`: referrals by `status`, in the month they were made;
    - `follow-up`: follow-up signals by kind, in the month they were raised;
    - `conversion`: graduations by what followed them (their first enrollment naming them,
      by days after `graduated_on`; else whether they were referred), in the month of
      `graduated_on`, with the shares enrolled within 30, 90 and 180 days and the median
      days to enrolling.

    Rows are grouped `by` month, program, agency, province or regency; `totals` holds each
    column's total and the grand total. Retracted records are not counted. Aggregates only:
    no NIK, KK or record id. Every count from 1 to 4, a cell's or a total's, is withheld
    (`suppressed: small`), and further counts are withheld (`suppressed: complementary`)
    until no withheld count can be computed from the published ones and the totals. Any
    agency's client with `stats:read` sees the same tables.

    Args:
        table (StatsTableName): What a table counts.
        by (StatsGroupBy | Unset): What a table's rows are.
        program (str | Unset):
        agency (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        from_ (str | Unset):
        to (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | StatsTable]
    """

    kwargs = _get_kwargs(
        table=table,
        by=by,
        program=program,
        agency=agency,
        region=region,
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    table: StatsTableName,
    *,
    client: AuthenticatedClient,
    by: StatsGroupBy | Unset = UNSET,
    program: str | Unset = UNSET,
    agency: str | Unset = UNSET,
    region: str | Unset = UNSET,
    from_: str | Unset = UNSET,
    to: str | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | StatsTable | None:
    """Get an aggregate statistics table.

     `table` is one of:
    - `graduations`: graduations by `graduation_type`, in the month of `graduated_on`;
    - `enrollments`: enrollments by `status`, in the month of `enrolled_on`;
    - `referrals`: referrals by `status`, in the month they were made;
    - `follow-up`: follow-up signals by kind, in the month they were raised;
    - `conversion`: graduations by what followed them (their first enrollment naming them,
      by days after `graduated_on`; else whether they were referred), in the month of
      `graduated_on`, with the shares enrolled within 30, 90 and 180 days and the median
      days to enrolling.

    Rows are grouped `by` month, program, agency, province or regency; `totals` holds each
    column's total and the grand total. Retracted records are not counted. Aggregates only:
    no NIK, KK or record id. Every count from 1 to 4, a cell's or a total's, is withheld
    (`suppressed: small`), and further counts are withheld (`suppressed: complementary`)
    until no withheld count can be computed from the published ones and the totals. Any
    agency's client with `stats:read` sees the same tables.

    Args:
        table (StatsTableName): What a table counts.
        by (StatsGroupBy | Unset): What a table's rows are.
        program (str | Unset):
        agency (str | Unset):
        region (str | Unset): A Kemendagri region code at any level: province (32), regency
            (32.01), district (32.01.01) or village (32.01.01.1002), with or without dots
        from_ (str | Unset):
        to (str | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | StatsTable
    """

    return (
        await asyncio_detailed(
            table=table,
            client=client,
            by=by,
            program=program,
            agency=agency,
            region=region,
            from_=from_,
            to=to,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
