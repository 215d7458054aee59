from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.agreement import Agreement
from ...models.new_agreement import NewAgreement
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: NewAgreement,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/agreements",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Agreement | Problem | None:
    if response.status_code == 201:
        response_201 = Agreement.from_dict(response.json())

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
) -> Response[Agreement | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewAgreement,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Agreement | Problem]:
    """Propose an agreement.

     The caller's agency is the consumer: it asks `provider_agency` to let it read the records
    the terms describe. The agreement starts `proposed` and serves no read until the
    provider approves it. Programs must be the provider's, purposes those of
    `GET /v1/purposes`, fields those of the listed record kinds.

    Args:
        sinergi_purpose (str | Unset):
        body (NewAgreement): An agreement the caller's agency (the consumer) proposes to a
            provider agency: the
            provider and the terms in one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Problem]
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
    body: NewAgreement,
    sinergi_purpose: str | Unset = UNSET,
) -> Agreement | Problem | None:
    """Propose an agreement.

     The caller's agency is the consumer: it asks `provider_agency` to let it read the records
    the terms describe. The agreement starts `proposed` and serves no read until the
    provider approves it. Programs must be the provider's, purposes those of
    `GET /v1/purposes`, fields those of the listed record kinds.

    Args:
        sinergi_purpose (str | Unset):
        body (NewAgreement): An agreement the caller's agency (the consumer) proposes to a
            provider agency: the
            provider and the terms in one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewAgreement,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Agreement | Problem]:
    """Propose an agreement.

     The caller's agency is the consumer: it asks `provider_agency` to let it read the records
    the terms describe. The agreement starts `proposed` and serves no read until the
    provider approves it. Programs must be the provider's, purposes those of
    `GET /v1/purposes`, fields those of the listed record kinds.

    Args:
        sinergi_purpose (str | Unset):
        body (NewAgreement): An agreement the caller's agency (the consumer) proposes to a
            provider agency: the
            provider and the terms in one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Agreement | Problem]
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
    body: NewAgreement,
    sinergi_purpose: str | Unset = UNSET,
) -> Agreement | Problem | None:
    """Propose an agreement.

     The caller's agency is the consumer: it asks `provider_agency` to let it read the records
    the terms describe. The agreement starts `proposed` and serves no read until the
    provider approves it. Programs must be the provider's, purposes those of
    `GET /v1/purposes`, fields those of the listed record kinds.

    Args:
        sinergi_purpose (str | Unset):
        body (NewAgreement): An agreement the caller's agency (the consumer) proposes to a
            provider agency: the
            provider and the terms in one object.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Agreement | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
