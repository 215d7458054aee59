import datetime
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.lineage import Lineage
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    kk: str,
    *,
    as_of: datetime.date | Unset = UNSET,
    known_at: datetime.datetime | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    json_as_of: str | Unset = UNSET
    if not isinstance(as_of, Unset):
        json_as_of = as_of.isoformat()
    params["as_of"] = json_as_of

    json_known_at: str | Unset = UNSET
    if not isinstance(known_at, Unset):
        json_known_at = known_at.isoformat()
    params["known_at"] = json_known_at

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/households/{kk}/lineage".format(
            kk=quote(str(kk), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Lineage | Problem | None:
    if response.status_code == 200:
        response_200 = Lineage.from_dict(response.json())

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
) -> Response[Lineage | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    kk: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | Unset = UNSET,
    known_at: datetime.datetime | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Lineage | Problem]:
    """A family card's lineage.

     The cards the KK came from and the cards it led to, through every recorded split,
    merge, member move and renumbering (followed up to 64 cards each way), with the events
    that link them. Events of different agencies that disagree are all shown, each naming
    the others in `conflicts_with`. A member's NIK is shown only to the agency that recorded
    the event; other agencies see their own `subject_ref` for it. A KK nothing is known of
    has an empty lineage.

    Args:
        kk (str):
        as_of (datetime.date | Unset):
        known_at (datetime.datetime | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Lineage | Problem]
    """

    kwargs = _get_kwargs(
        kk=kk,
        as_of=as_of,
        known_at=known_at,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    kk: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | Unset = UNSET,
    known_at: datetime.datetime | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Lineage | Problem | None:
    """A family card's lineage.

     The cards the KK came from and the cards it led to, through every recorded split,
    merge, member move and renumbering (followed up to 64 cards each way), with the events
    that link them. Events of different agencies that disagree are all shown, each naming
    the others in `conflicts_with`. A member's NIK is shown only to the agency that recorded
    the event; other agencies see their own `subject_ref` for it. A KK nothing is known of
    has an empty lineage.

    Args:
        kk (str):
        as_of (datetime.date | Unset):
        known_at (datetime.datetime | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Lineage | Problem
    """

    return sync_detailed(
        kk=kk,
        client=client,
        as_of=as_of,
        known_at=known_at,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    kk: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | Unset = UNSET,
    known_at: datetime.datetime | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Lineage | Problem]:
    """A family card's lineage.

     The cards the KK came from and the cards it led to, through every recorded split,
    merge, member move and renumbering (followed up to 64 cards each way), with the events
    that link them. Events of different agencies that disagree are all shown, each naming
    the others in `conflicts_with`. A member's NIK is shown only to the agency that recorded
    the event; other agencies see their own `subject_ref` for it. A KK nothing is known of
    has an empty lineage.

    Args:
        kk (str):
        as_of (datetime.date | Unset):
        known_at (datetime.datetime | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Lineage | Problem]
    """

    kwargs = _get_kwargs(
        kk=kk,
        as_of=as_of,
        known_at=known_at,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    kk: str,
    *,
    client: AuthenticatedClient,
    as_of: datetime.date | Unset = UNSET,
    known_at: datetime.datetime | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Lineage | Problem | None:
    """A family card's lineage.

     The cards the KK came from and the cards it led to, through every recorded split,
    merge, member move and renumbering (followed up to 64 cards each way), with the events
    that link them. Events of different agencies that disagree are all shown, each naming
    the others in `conflicts_with`. A member's NIK is shown only to the agency that recorded
    the event; other agencies see their own `subject_ref` for it. A KK nothing is known of
    has an empty lineage.

    Args:
        kk (str):
        as_of (datetime.date | Unset):
        known_at (datetime.datetime | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Lineage | Problem
    """

    return (
        await asyncio_detailed(
            kk=kk,
            client=client,
            as_of=as_of,
            known_at=known_at,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
