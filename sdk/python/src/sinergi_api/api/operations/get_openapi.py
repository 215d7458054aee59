from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.get_openapi_response_200 import GetOpenapiResponse200
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/openapi.json",
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> GetOpenapiResponse200 | Problem | None:
    if response.status_code == 200:
        response_200 = GetOpenapiResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Problem.from_dict(response.json())

        return response_400

    if response.status_code == 503:
        response_503 = Problem.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[GetOpenapiResponse200 | Problem]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GetOpenapiResponse200 | Problem]:
    """This OpenAPI document, identical to the committed `openapi/openapi.json`.

     The interactive rendering of it is at `/docs/`, served without any external resource.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetOpenapiResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> GetOpenapiResponse200 | Problem | None:
    """This OpenAPI document, identical to the committed `openapi/openapi.json`.

     The interactive rendering of it is at `/docs/`, served without any external resource.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetOpenapiResponse200 | Problem
    """

    return sync_detailed(
        client=client,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[GetOpenapiResponse200 | Problem]:
    """This OpenAPI document, identical to the committed `openapi/openapi.json`.

     The interactive rendering of it is at `/docs/`, served without any external resource.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[GetOpenapiResponse200 | Problem]
    """

    kwargs = _get_kwargs(
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    sinergi_purpose: str | Unset = UNSET,
) -> GetOpenapiResponse200 | Problem | None:
    """This OpenAPI document, identical to the committed `openapi/openapi.json`.

     The interactive rendering of it is at `/docs/`, served without any external resource.

    Args:
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        GetOpenapiResponse200 | Problem
    """

    return (
        await asyncio_detailed(
            client=client,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
