from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.problem import Problem
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    from_: int | Unset = UNSET,
    to: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(sinergi_purpose, Unset):
        headers["Sinergi-Purpose"] = sinergi_purpose

    params: dict[str, Any] = {}

    params["from"] = from_

    params["to"] = to

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v1/audit/export",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Problem | str | None:
    if response.status_code == 200:
        response_200 = cast(str, response.content)
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
) -> Response[Problem | str]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    from_: int | Unset = UNSET,
    to: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | str]:
    """Export entries as NDJSON.

     Entries `from` to `to - 1`, one per line, each line exactly the RFC 8785 bytes hashed
    for that leaf followed by `\\n`: with `from=0` and `to` the size of a checkpoint, the
    export alone recomputes that checkpoint's root (`sinergi audit verify`). Streamed;
    any size. Each line is one `Entry`, as `GET /v1/audit/entries` pages them.

    For generated clients: a generator that does not know `application/x-ndjson` should
    take the body as bytes (openapi-python-client: `content_type_overrides:
    {application/x-ndjson: application/octet-stream}`) and split it at `\\n`, keeping each
    line's bytes for the Merkle check. The Python SDK's `iter_audit_entries` and
    `iter_audit_lines` stream it that way.

    Args:
        from_ (int | Unset):
        to (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    from_: int | Unset = UNSET,
    to: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | str | None:
    """Export entries as NDJSON.

     Entries `from` to `to - 1`, one per line, each line exactly the RFC 8785 bytes hashed
    for that leaf followed by `\\n`: with `from=0` and `to` the size of a checkpoint, the
    export alone recomputes that checkpoint's root (`sinergi audit verify`). Streamed;
    any size. Each line is one `Entry`, as `GET /v1/audit/entries` pages them.

    For generated clients: a generator that does not know `application/x-ndjson` should
    take the body as bytes (openapi-python-client: `content_type_overrides:
    {application/x-ndjson: application/octet-stream}`) and split it at `\\n`, keeping each
    line's bytes for the Merkle check. The Python SDK's `iter_audit_entries` and
    `iter_audit_lines` stream it that way.

    Args:
        from_ (int | Unset):
        to (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return sync_detailed(
        client=client,
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    from_: int | Unset = UNSET,
    to: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Response[Problem | str]:
    """Export entries as NDJSON.

     Entries `from` to `to - 1`, one per line, each line exactly the RFC 8785 bytes hashed
    for that leaf followed by `\\n`: with `from=0` and `to` the size of a checkpoint, the
    export alone recomputes that checkpoint's root (`sinergi audit verify`). Streamed;
    any size. Each line is one `Entry`, as `GET /v1/audit/entries` pages them.

    For generated clients: a generator that does not know `application/x-ndjson` should
    take the body as bytes (openapi-python-client: `content_type_overrides:
    {application/x-ndjson: application/octet-stream}`) and split it at `\\n`, keeping each
    line's bytes for the Merkle check. The Python SDK's `iter_audit_entries` and
    `iter_audit_lines` stream it that way.

    Args:
        from_ (int | Unset):
        to (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Problem | str]
    """

    kwargs = _get_kwargs(
        from_=from_,
        to=to,
        sinergi_purpose=sinergi_purpose,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    from_: int | Unset = UNSET,
    to: int | Unset = UNSET,
    sinergi_purpose: str | Unset = UNSET,
) -> Problem | str | None:
    """Export entries as NDJSON.

     Entries `from` to `to - 1`, one per line, each line exactly the RFC 8785 bytes hashed
    for that leaf followed by `\\n`: with `from=0` and `to` the size of a checkpoint, the
    export alone recomputes that checkpoint's root (`sinergi audit verify`). Streamed;
    any size. Each line is one `Entry`, as `GET /v1/audit/entries` pages them.

    For generated clients: a generator that does not know `application/x-ndjson` should
    take the body as bytes (openapi-python-client: `content_type_overrides:
    {application/x-ndjson: application/octet-stream}`) and split it at `\\n`, keeping each
    line's bytes for the Merkle check. The Python SDK's `iter_audit_entries` and
    `iter_audit_lines` stream it that way.

    Args:
        from_ (int | Unset):
        to (int | Unset):
        sinergi_purpose (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Problem | str
    """

    return (
        await asyncio_detailed(
            client=client,
            from_=from_,
            to=to,
            sinergi_purpose=sinergi_purpose,
        )
    ).parsed
