from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.o_auth_error import OAuthError
from ...models.problem import Problem
from ...models.token_request import TokenRequest
from ...models.token_response import TokenResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    body: TokenRequest,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/oauth/token",
    }

    _kwargs["data"] = body.to_dict()
    headers["Content-Type"] = "application/x-www-form-urlencoded"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> OAuthError | Problem | TokenResponse | None:
    if response.status_code == 200:
        response_200 = TokenResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = OAuthError.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = OAuthError.from_dict(response.json())

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
) -> Response[OAuthError | Problem | TokenResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[OAuthError | Problem | TokenResponse]:
    """Obtain an access token with the client credentials grant.

     Authenticate with `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1), `client_secret_post`
    (`client_id` and `client_secret` in the form) or `private_key_jwt` (RFC 7523). Errors use
    OAuth's format (RFC 6749 §5.2: `error`, `error_description`), not problem details, except
    429, 500 and 503. Credentials that are refused get one answer whatever was wrong with them.
    Requests are limited per source address; failed authentications per client id and source
    address and per source address (a source that keeps failing gets 429, others are not
    affected); tokens per client.

    Args:
        sinergi_purpose (str | Unset):
        body (TokenRequest): The form fields of a token request (`application/x-www-form-
            urlencoded`). Unknown
            fields are ignored, as RFC 6749 requires.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | Problem | TokenResponse]
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
    client: AuthenticatedClient | Client,
    body: TokenRequest,
    sinergi_purpose: str | Unset = UNSET,
) -> OAuthError | Problem | TokenResponse | None:
    """Obtain an access token with the client credentials grant.

     Authenticate with `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1), `client_secret_post`
    (`client_id` and `client_secret` in the form) or `private_key_jwt` (RFC 7523). Errors use
    OAuth's format (RFC 6749 §5.2: `error`, `error_description`), not problem details, except
    429, 500 and 503. Credentials that are refused get one answer whatever was wrong with them.
    Requests are limited per source address; failed authentications per client id and source
    address and per source address (a source that keeps failing gets 429, others are not
    affected); tokens per client.

    Args:
        sinergi_purpose (str | Unset):
        body (TokenRequest): The form fields of a token request (`application/x-www-form-
            urlencoded`). Unknown
            fields are ignored, as RFC 6749 requires.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | Problem | TokenResponse
    """

    return sync_detailed(
        client=client,
        body=body,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[OAuthError | Problem | TokenResponse]:
    """Obtain an access token with the client credentials grant.

     Authenticate with `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1), `client_secret_post`
    (`client_id` and `client_secret` in the form) or `private_key_jwt` (RFC 7523). Errors use
    OAuth's format (RFC 6749 §5.2: `error`, `error_description`), not problem details, except
    429, 500 and 503. Credentials that are refused get one answer whatever was wrong with them.
    Requests are limited per source address; failed authentications per client id and source
    address and per source address (a source that keeps failing gets 429, others are not
    affected); tokens per client.

    Args:
        sinergi_purpose (str | Unset):
        body (TokenRequest): The form fields of a token request (`application/x-www-form-
            urlencoded`). Unknown
            fields are ignored, as RFC 6749 requires.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[OAuthError | Problem | TokenResponse]
    """

    kwargs = _get_kwargs(
        body=body,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: TokenRequest,
    sinergi_purpose: str | Unset = UNSET,
) -> OAuthError | Problem | TokenResponse | None:
    """Obtain an access token with the client credentials grant.

     Authenticate with `client_secret_basic` (HTTP Basic, RFC 6749 §2.3.1), `client_secret_post`
    (`client_id` and `client_secret` in the form) or `private_key_jwt` (RFC 7523). Errors use
    OAuth's format (RFC 6749 §5.2: `error`, `error_description`), not problem details, except
    429, 500 and 503. Credentials that are refused get one answer whatever was wrong with them.
    Requests are limited per source address; failed authentications per client id and source
    address and per source address (a source that keeps failing gets 429, others are not
    affected); tokens per client.

    Args:
        sinergi_purpose (str | Unset):
        body (TokenRequest): The form fields of a token request (`application/x-www-form-
            urlencoded`). Unknown
            fields are ignored, as RFC 6749 requires.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        OAuthError | Problem | TokenResponse
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
