from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.created_subscription import CreatedSubscription
from ...models.new_subscription import NewSubscription
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: NewSubscription,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/subscriptions",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedSubscription | Problem | None:
    if response.status_code == 201:
        response_201 = CreatedSubscription.from_dict(response.json())

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

    if response.status_code == 409:
        response_409 = Problem.from_dict(response.json())

        return response_409

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
) -> Response[CreatedSubscription | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewSubscription,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[CreatedSubscription | Problem]:
    """Subscribe to changes.

     Matching changes are POSTed to `url` one at a time, in position order, each retried with
    exponential backoff for at least 24 hours until the receiver answers 2xx; then the
    subscription is paused (`failing`). Deliveries follow the Standard Webhooks convention:
    the body is `{"type": "graduation.created", "timestamp": …, "data": <a change, exactly
    as the feed has it>}`, signed in `webhook-signature` with the `secret` returned here, and
    only here. The token needs `changes:read`, as for reading the feed, and the read scope of
    every type it subscribes to. An agency may have at most 100 subscriptions (the operator
    may set another number); beyond that, `409` until it deletes one.

    Another agency's changes are delivered only under a data-sharing agreement in force for
    the subscription's `purpose`, each record with the agreement's fields, as the feed shows
    them. Naming in `publishers` an agency that no agreement covers for it is refused with
    `403` naming the reason; when a named publisher's agreement is later suspended,
    terminated or expires, the subscription shows `not_covered` and waits, then delivers
    what it held back once an agreement is in force again. With the type `agreement` (and
    `agreements:read`), the steps of the agreements the agency is party to are delivered too
    (`agreement.suspended`, `agreement.expiring`, …).

    Args:
        sinergi_purpose (str | Unset):
        body (NewSubscription): A subscription to create. Example: {'after': 4200, 'programs':
            ['PKTD'], 'types': ['enrollment'], 'url': 'https://siks.kemensos.go.id/sinergi/webhooks'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedSubscription | Problem]
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
    body: NewSubscription,
    sinergi_purpose: str | Unset = UNSET,
) -> CreatedSubscription | Problem | None:
    """Subscribe to changes.

     Matching changes are POSTed to `url` one at a time, in position order, each retried with
    exponential backoff for at least 24 hours until the receiver answers 2xx; then the
    subscription is paused (`failing`). Deliveries follow the Standard Webhooks convention:
    the body is `{"type": "graduation.created", "timestamp": …, "data": <a change, exactly
    as the feed has it>}`, signed in `webhook-signature` with the `secret` returned here, and
    only here. The token needs `changes:read`, as for reading the feed, and the read scope of
    every type it subscribes to. An agency may have at most 100 subscriptions (the operator
    may set another number); beyond that, `409` until it deletes one.

    Another agency's changes are delivered only under a data-sharing agreement in force for
    the subscription's `purpose`, each record with the agreement's fields, as the feed shows
    them. Naming in `publishers` an agency that no agreement covers for it is refused with
    `403` naming the reason; when a named publisher's agreement is later suspended,
    terminated or expires, the subscription shows `not_covered` and waits, then delivers
    what it held back once an agreement is in force again. With the type `agreement` (and
    `agreements:read`), the steps of the agreements the agency is party to are delivered too
    (`agreement.suspended`, `agreement.expiring`, …).

    Args:
        sinergi_purpose (str | Unset):
        body (NewSubscription): A subscription to create. Example: {'after': 4200, 'programs':
            ['PKTD'], 'types': ['enrollment'], 'url': 'https://siks.kemensos.go.id/sinergi/webhooks'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedSubscription | Problem
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewSubscription,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[CreatedSubscription | Problem]:
    """Subscribe to changes.

     Matching changes are POSTed to `url` one at a time, in position order, each retried with
    exponential backoff for at least 24 hours until the receiver answers 2xx; then the
    subscription is paused (`failing`). Deliveries follow the Standard Webhooks convention:
    the body is `{"type": "graduation.created", "timestamp": …, "data": <a change, exactly
    as the feed has it>}`, signed in `webhook-signature` with the `secret` returned here, and
    only here. The token needs `changes:read`, as for reading the feed, and the read scope of
    every type it subscribes to. An agency may have at most 100 subscriptions (the operator
    may set another number); beyond that, `409` until it deletes one.

    Another agency's changes are delivered only under a data-sharing agreement in force for
    the subscription's `purpose`, each record with the agreement's fields, as the feed shows
    them. Naming in `publishers` an agency that no agreement covers for it is refused with
    `403` naming the reason; when a named publisher's agreement is later suspended,
    terminated or expires, the subscription shows `not_covered` and waits, then delivers
    what it held back once an agreement is in force again. With the type `agreement` (and
    `agreements:read`), the steps of the agreements the agency is party to are delivered too
    (`agreement.suspended`, `agreement.expiring`, …).

    Args:
        sinergi_purpose (str | Unset):
        body (NewSubscription): A subscription to create. Example: {'after': 4200, 'programs':
            ['PKTD'], 'types': ['enrollment'], 'url': 'https://siks.kemensos.go.id/sinergi/webhooks'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedSubscription | Problem]
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
    body: NewSubscription,
    sinergi_purpose: str | Unset = UNSET,
) -> CreatedSubscription | Problem | None:
    """Subscribe to changes.

     Matching changes are POSTed to `url` one at a time, in position order, each retried with
    exponential backoff for at least 24 hours until the receiver answers 2xx; then the
    subscription is paused (`failing`). Deliveries follow the Standard Webhooks convention:
    the body is `{"type": "graduation.created", "timestamp": …, "data": <a change, exactly
    as the feed has it>}`, signed in `webhook-signature` with the `secret` returned here, and
    only here. The token needs `changes:read`, as for reading the feed, and the read scope of
    every type it subscribes to. An agency may have at most 100 subscriptions (the operator
    may set another number); beyond that, `409` until it deletes one.

    Another agency's changes are delivered only under a data-sharing agreement in force for
    the subscription's `purpose`, each record with the agreement's fields, as the feed shows
    them. Naming in `publishers` an agency that no agreement covers for it is refused with
    `403` naming the reason; when a named publisher's agreement is later suspended,
    terminated or expires, the subscription shows `not_covered` and waits, then delivers
    what it held back once an agreement is in force again. With the type `agreement` (and
    `agreements:read`), the steps of the agreements the agency is party to are delivered too
    (`agreement.suspended`, `agreement.expiring`, …).

    Args:
        sinergi_purpose (str | Unset):
        body (NewSubscription): A subscription to create. Example: {'after': 4200, 'programs':
            ['PKTD'], 'types': ['enrollment'], 'url': 'https://siks.kemensos.go.id/sinergi/webhooks'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedSubscription | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
