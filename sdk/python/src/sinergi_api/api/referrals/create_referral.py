from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.new_referral import NewReferral
from ...models.problem import Problem
from ...models.referral import Referral
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: NewReferral,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/referrals",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | Referral | None:
    if response.status_code == 200:
        response_200 = Referral.from_dict(response.json())

        return response_200

    if response.status_code == 201:
        response_201 = Referral.from_dict(response.json())

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
) -> Response[Problem | Referral]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: NewReferral,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Refer a graduated family.

     The caller's agency published the graduation (or is the coordinating ministry,
    KEMENKOPM). The referral is offered at once to every agency of `offered_to`; the first to
    accept owns it. A referral discloses the family: every agency of `offered_to` and
    `fallback_to` needs a data-sharing agreement in force with the graduation's publisher
    covering the graduation for `purpose` (else 403 naming the agency's place in the
    request), and each sees the family as that agreement's `fields` allow.

    Idempotent per `source_record_id`: the same request again answers 200 with the referral
    already made; a different one under the same id is a 409.

    The life of a referral, which the exchange enforces:

    ```text
    offered ──accepted──▶ accepted ──enrolled──▶ enrolled
      │ ├─declined (per agency; declined when all did and no fallback is left)
      │ └─withdrawn (requester)      accepted ──released──▶ offered again (released if none left)
      └─respond_by passed: overdue, then offered to fallback_to, or lapsed
    accepted ──complete_by passed──▶ overdue, lapsed;  accepted ──withdrawn (requester)
    ```

    Args:
        sinergi_purpose (str | Unset):
        body (NewReferral): A referral as the requester sends it. Example: {'complete_by':
            '2027-03-05T00:00:00Z', 'fallback_to': [{'agency': 'KEMENKOP'}], 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'offered_to': [{'agency': 'KEMENDES',
            'target_program': 'PADAT_KARYA'}], 'priority': 'routine', 'purpose':
            'PEMBERDAYAAN_EKONOMI', 'reason_code': 'USAHA_MIKRO', 'respond_by':
            '2026-12-19T00:00:00Z', 'source_record_id': 'RUJUK-2026-0001'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
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
    body: NewReferral,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Refer a graduated family.

     The caller's agency published the graduation (or is the coordinating ministry,
    KEMENKOPM). The referral is offered at once to every agency of `offered_to`; the first to
    accept owns it. A referral discloses the family: every agency of `offered_to` and
    `fallback_to` needs a data-sharing agreement in force with the graduation's publisher
    covering the graduation for `purpose` (else 403 naming the agency's place in the
    request), and each sees the family as that agreement's `fields` allow.

    Idempotent per `source_record_id`: the same request again answers 200 with the referral
    already made; a different one under the same id is a 409.

    The life of a referral, which the exchange enforces:

    ```text
    offered ──accepted──▶ accepted ──enrolled──▶ enrolled
      │ ├─declined (per agency; declined when all did and no fallback is left)
      │ └─withdrawn (requester)      accepted ──released──▶ offered again (released if none left)
      └─respond_by passed: overdue, then offered to fallback_to, or lapsed
    accepted ──complete_by passed──▶ overdue, lapsed;  accepted ──withdrawn (requester)
    ```

    Args:
        sinergi_purpose (str | Unset):
        body (NewReferral): A referral as the requester sends it. Example: {'complete_by':
            '2027-03-05T00:00:00Z', 'fallback_to': [{'agency': 'KEMENKOP'}], 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'offered_to': [{'agency': 'KEMENDES',
            'target_program': 'PADAT_KARYA'}], 'priority': 'routine', 'purpose':
            'PEMBERDAYAAN_EKONOMI', 'reason_code': 'USAHA_MIKRO', 'respond_by':
            '2026-12-19T00:00:00Z', 'source_record_id': 'RUJUK-2026-0001'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: NewReferral,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | Referral]:
    """Refer a graduated family.

     The caller's agency published the graduation (or is the coordinating ministry,
    KEMENKOPM). The referral is offered at once to every agency of `offered_to`; the first to
    accept owns it. A referral discloses the family: every agency of `offered_to` and
    `fallback_to` needs a data-sharing agreement in force with the graduation's publisher
    covering the graduation for `purpose` (else 403 naming the agency's place in the
    request), and each sees the family as that agreement's `fields` allow.

    Idempotent per `source_record_id`: the same request again answers 200 with the referral
    already made; a different one under the same id is a 409.

    The life of a referral, which the exchange enforces:

    ```text
    offered ──accepted──▶ accepted ──enrolled──▶ enrolled
      │ ├─declined (per agency; declined when all did and no fallback is left)
      │ └─withdrawn (requester)      accepted ──released──▶ offered again (released if none left)
      └─respond_by passed: overdue, then offered to fallback_to, or lapsed
    accepted ──complete_by passed──▶ overdue, lapsed;  accepted ──withdrawn (requester)
    ```

    Args:
        sinergi_purpose (str | Unset):
        body (NewReferral): A referral as the requester sends it. Example: {'complete_by':
            '2027-03-05T00:00:00Z', 'fallback_to': [{'agency': 'KEMENKOP'}], 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'offered_to': [{'agency': 'KEMENDES',
            'target_program': 'PADAT_KARYA'}], 'priority': 'routine', 'purpose':
            'PEMBERDAYAAN_EKONOMI', 'reason_code': 'USAHA_MIKRO', 'respond_by':
            '2026-12-19T00:00:00Z', 'source_record_id': 'RUJUK-2026-0001'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | Referral]
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
    body: NewReferral,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | Referral | None:
    """Refer a graduated family.

     The caller's agency published the graduation (or is the coordinating ministry,
    KEMENKOPM). The referral is offered at once to every agency of `offered_to`; the first to
    accept owns it. A referral discloses the family: every agency of `offered_to` and
    `fallback_to` needs a data-sharing agreement in force with the graduation's publisher
    covering the graduation for `purpose` (else 403 naming the agency's place in the
    request), and each sees the family as that agreement's `fields` allow.

    Idempotent per `source_record_id`: the same request again answers 200 with the referral
    already made; a different one under the same id is a 409.

    The life of a referral, which the exchange enforces:

    ```text
    offered ──accepted──▶ accepted ──enrolled──▶ enrolled
      │ ├─declined (per agency; declined when all did and no fallback is left)
      │ └─withdrawn (requester)      accepted ──released──▶ offered again (released if none left)
      └─respond_by passed: overdue, then offered to fallback_to, or lapsed
    accepted ──complete_by passed──▶ overdue, lapsed;  accepted ──withdrawn (requester)
    ```

    Args:
        sinergi_purpose (str | Unset):
        body (NewReferral): A referral as the requester sends it. Example: {'complete_by':
            '2027-03-05T00:00:00Z', 'fallback_to': [{'agency': 'KEMENKOP'}], 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'offered_to': [{'agency': 'KEMENDES',
            'target_program': 'PADAT_KARYA'}], 'priority': 'routine', 'purpose':
            'PEMBERDAYAAN_EKONOMI', 'reason_code': 'USAHA_MIKRO', 'respond_by':
            '2026-12-19T00:00:00Z', 'source_record_id': 'RUJUK-2026-0001'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | Referral
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
