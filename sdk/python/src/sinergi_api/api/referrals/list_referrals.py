from http import HTTPStatus
from typing import Any
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.referral_list import ReferralList
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: str | Unset = UNSET,
    graduation_id: UUID | Unset = UNSET,
    role: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["status"] = status

    json_graduation_id: str | Unset = UNSET
    if not isinstance(graduation_id, Unset):
        json_graduation_id = str(graduation_id)
    params["graduation_id"] = json_graduation_id

    params["role"] = role

    json_after: str | Unset = UNSET
    if not isinstance(after, Unset):
        json_after = str(after)
    params["after"] = json_after

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/referrals",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | ReferralList | None:
    if response.status_code == 200:
        response_200 = ReferralList.from_dict(response.json())

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
) -> Response[Problem | ReferralList]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    graduation_id: UUID | Unset = UNSET,
    role: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | ReferralList]:
    """List referrals.

     Those the caller's agency made, was offered (a fallback once offered) or whose family it
    graduated; the coordinating ministry sees all. Oldest first, in pages (`next`). Each
    shows the family as the agreement between the graduation's publisher and the caller's
    agency allows, and only a `subject_ref` where none does.

    Args:
        status (str | Unset):
        graduation_id (UUID | Unset):
        role (str | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralList]
    """

    kwargs = _get_kwargs(
        status=status,
        graduation_id=graduation_id,
        role=role,
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
    status: str | Unset = UNSET,
    graduation_id: UUID | Unset = UNSET,
    role: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | ReferralList | None:
    """List referrals.

     Those the caller's agency made, was offered (a fallback once offered) or whose family it
    graduated; the coordinating ministry sees all. Oldest first, in pages (`next`). Each
    shows the family as the agreement between the graduation's publisher and the caller's
    agency allows, and only a `subject_ref` where none does.

    Args:
        status (str | Unset):
        graduation_id (UUID | Unset):
        role (str | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralList
    """

    return sync_detailed(
        client=client,
        status=status,
        graduation_id=graduation_id,
        role=role,
        after=after,
        limit=limit,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    graduation_id: UUID | Unset = UNSET,
    role: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | ReferralList]:
    """List referrals.

     Those the caller's agency made, was offered (a fallback once offered) or whose family it
    graduated; the coordinating ministry sees all. Oldest first, in pages (`next`). Each
    shows the family as the agreement between the graduation's publisher and the caller's
    agency allows, and only a `subject_ref` where none does.

    Args:
        status (str | Unset):
        graduation_id (UUID | Unset):
        role (str | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | ReferralList]
    """

    kwargs = _get_kwargs(
        status=status,
        graduation_id=graduation_id,
        role=role,
        after=after,
        limit=limit,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    status: str | Unset = UNSET,
    graduation_id: UUID | Unset = UNSET,
    role: str | Unset = UNSET,
    after: UUID | Unset = UNSET,
    limit: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | ReferralList | None:
    """List referrals.

     Those the caller's agency made, was offered (a fallback once offered) or whose family it
    graduated; the coordinating ministry sees all. Oldest first, in pages (`next`). Each
    shows the family as the agreement between the graduation's publisher and the caller's
    agency allows, and only a `subject_ref` where none does.

    Args:
        status (str | Unset):
        graduation_id (UUID | Unset):
        role (str | Unset):
        after (UUID | Unset):
        limit (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | ReferralList
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            graduation_id=graduation_id,
            role=role,
            after=after,
            limit=limit,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
