from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.list_programs_kind import ListProgramsKind
from ...models.problem import Problem
from ...models.program_list import ProgramList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    agency: str | Unset = UNSET,
    kind: ListProgramsKind | Unset = UNSET,
    active: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["agency"] = agency

    json_kind: str | Unset = UNSET
    if not isinstance(kind, Unset):
        json_kind = kind.value

    params["kind"] = json_kind

    params["active"] = active

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/programs",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ProgramList | None:
    if response.status_code == 200:
        response_200 = ProgramList.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Problem.from_dict(response.json())

        return response_401

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
) -> Response[Problem | ProgramList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    agency: str | Unset = UNSET,
    kind: ListProgramsKind | Unset = UNSET,
    active: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | ProgramList]:
    """List programs, optionally filtered by agency, kind and whether they are active.

     A `social_assistance` program (bansos such as PKH) is one families graduate out of; an
    `empowerment` program is one they can be enrolled in afterwards. Unknown filters are refused.

    Args:
        agency (str | Unset): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        kind (ListProgramsKind | Unset): Whether a program gives social assistance (bansos) or
            empowers its participants.
        active (bool | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramList]
    """

    kwargs = _get_kwargs(
        agency=agency,
        kind=kind,
        active=active,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    agency: str | Unset = UNSET,
    kind: ListProgramsKind | Unset = UNSET,
    active: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | ProgramList | None:
    """List programs, optionally filtered by agency, kind and whether they are active.

     A `social_assistance` program (bansos such as PKH) is one families graduate out of; an
    `empowerment` program is one they can be enrolled in afterwards. Unknown filters are refused.

    Args:
        agency (str | Unset): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        kind (ListProgramsKind | Unset): Whether a program gives social assistance (bansos) or
            empowers its participants.
        active (bool | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramList
    """

    return sync_detailed(
        client=client,
        agency=agency,
        kind=kind,
        active=active,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    agency: str | Unset = UNSET,
    kind: ListProgramsKind | Unset = UNSET,
    active: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | ProgramList]:
    """List programs, optionally filtered by agency, kind and whether they are active.

     A `social_assistance` program (bansos such as PKH) is one families graduate out of; an
    `empowerment` program is one they can be enrolled in afterwards. Unknown filters are refused.

    Args:
        agency (str | Unset): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        kind (ListProgramsKind | Unset): Whether a program gives social assistance (bansos) or
            empowers its participants.
        active (bool | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ProgramList]
    """

    kwargs = _get_kwargs(
        agency=agency,
        kind=kind,
        active=active,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    agency: str | Unset = UNSET,
    kind: ListProgramsKind | Unset = UNSET,
    active: bool | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | ProgramList | None:
    """List programs, optionally filtered by agency, kind and whether they are active.

     A `social_assistance` program (bansos such as PKH) is one families graduate out of; an
    `empowerment` program is one they can be enrolled in afterwards. Unknown filters are refused.

    Args:
        agency (str | Unset): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        kind (ListProgramsKind | Unset): Whether a program gives social assistance (bansos) or
            empowers its participants.
        active (bool | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ProgramList
    """

    return (
        await asyncio_detailed(
            client=client,
            agency=agency,
            kind=kind,
            active=active,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
