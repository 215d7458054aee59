from http import HTTPStatus
from typing import Any
from urllib.parse import quote
from uuid import UUID

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...models.subscription import Subscription
from ...types import UNSET, Response, Unset


def _get_kwargs(
    id: UUID,
    *,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/subscriptions/{id}/enable".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Subscription | None:
    if response.status_code == 200:
        response_200 = Subscription.from_dict(response.json())

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
) -> Response[Problem | Subscription]:
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
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Subscription]:
    """Resume a failing or suspended subscription.

     Delivery continues with the change that failed, as if it had never been tried; an
    active subscription stays as it is (its pending retry is tried now). The token needs
    `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
    taken over by the calling client, which then needs the read scope of every type it
    delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
    A `not_covered` one stays so: only an agreement in force lets its deliveries resume.

    Args:
        id (UUID):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Subscription]
    """

    kwargs = _get_kwargs(
        id=id,
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
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Subscription | None:
    """Resume a failing or suspended subscription.

     Delivery continues with the change that failed, as if it had never been tried; an
    active subscription stays as it is (its pending retry is tried now). The token needs
    `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
    taken over by the calling client, which then needs the read scope of every type it
    delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
    A `not_covered` one stays so: only an agreement in force lets its deliveries resume.

    Args:
        id (UUID):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Subscription
    """

    return sync_detailed(
        id=id,
        client=client,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    id: UUID,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Subscription]:
    """Resume a failing or suspended subscription.

     Delivery continues with the change that failed, as if it had never been tried; an
    active subscription stays as it is (its pending retry is tried now). The token needs
    `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
    taken over by the calling client, which then needs the read scope of every type it
    delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
    A `not_covered` one stays so: only an agreement in force lets its deliveries resume.

    Args:
        id (UUID):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Subscription]
    """

    kwargs = _get_kwargs(
        id=id,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: UUID,
    *,
    client: AuthenticatedClient,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Subscription | None:
    """Resume a failing or suspended subscription.

     Delivery continues with the change that failed, as if it had never been tried; an
    active subscription stays as it is (its pending retry is tried now). The token needs
    `changes:read`, as for reading the feed. A `suspended` one (its client was disabled) is
    taken over by the calling client, which then needs the read scope of every type it
    delivers (else `403`); deliveries go on where they stopped, recorded under the new client.
    A `not_covered` one stays so: only an agreement in force lets its deliveries resume.

    Args:
        id (UUID):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Subscription
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
