"""Errors as Sinergi reports them: RFC 9457 problems, and OAuth errors at the token endpoint.

Every 4xx and 5xx answer of the API is an ``application/problem+json`` body whose ``errors``
list names each invalid part of the request by a JSON pointer (``/household/kk``,
``/items/3/welfare_decile``, ``#/query/limit``). The generated client returns that body as a
``Problem`` model next to the success model; :func:`unwrap` turns it into a
:class:`SinergiError` so that integrators handle failures in one place and see every invalid
field, not just the first line of a message.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any, Protocol, TypeVar, overload

import httpx

__all__ = [
    "FieldError",
    "SinergiError",
    "TokenError",
    "raise_for_problem",
    "unwrap",
]

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


@dataclass(frozen=True)
class FieldError:
    """One invalid part of a request.

    ``pointer`` is an RFC 6901 JSON pointer into the body (``/items/3/household/kk``) or
    ``#/query/NAME``, ``#/path/NAME``, ``#/header/NAME``. ``detail`` says what is wrong without
    repeating the value sent (a NIK may have been sent anywhere).
    """

    pointer: str
    detail: str


class SinergiError(Exception):
    """An answer of Sinergi that is not a success, with its RFC 9457 problem.

    Branch on :attr:`type` (a stable URN such as ``urn:sinergi:problem:validation``), not on
    :attr:`title` or :attr:`detail`, which are for people. :attr:`instance` is the request id:
    quote it to the operator, who finds the request in the audit log and service log under it.
    """

    def __init__(
        self,
        *,
        status: int,
        type: str = "about:blank",
        title: str = "",
        detail: str = "",
        instance: str | None = None,
        errors: list[FieldError] | None = None,
        problem: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.instance = instance
        self.errors: list[FieldError] = list(errors or [])
        #: The problem body as received, including members this SDK does not know
        #: (``allowed_transitions``, ...).
        self.problem: dict[str, Any] = dict(problem or {})
        #: Seconds to wait before trying again, from ``Retry-After`` (429 and 503).
        self.retry_after = retry_after
        super().__init__(self._message())

    def _message(self) -> str:
        head = f"{self.status} {self.title or self.type}"
        if self.detail:
            head += f": {self.detail}"
        if self.instance:
            head += f" (request {self.instance})"
        lines = [head] + [f"  {e.pointer}: {e.detail}" for e in self.errors]
        return "\n".join(lines)

    @classmethod
    def from_parts(
        cls, status: int, content: bytes, headers: httpx.Headers | None = None
    ) -> SinergiError:
        """Builds the error from a response's status, body and headers.

        Tolerates a body that is not a problem (a proxy's HTML page, an empty 502): the status
        is always right, and the text is kept in :attr:`detail` for whoever debugs it.
        """
        headers = headers or httpx.Headers()
        retry_after = parse_retry_after(headers.get("retry-after"))
        try:
            body = json.loads(content) if content else None
        except ValueError:
            body = None
        if not isinstance(body, dict):
            text = content.decode("utf-8", "replace").strip()[:500]
            return cls(status=status, title=_reason(status), detail=text, retry_after=retry_after)
        if "error" in body and "type" not in body:
            # OAuth's error format (RFC 6749 §5.2), used by POST /oauth/token.
            return TokenError(
                status=status,
                error=str(body.get("error")),
                error_description=str(body.get("error_description") or ""),
                problem=body,
                retry_after=retry_after,
            )
        errors = [
            FieldError(pointer=str(e.get("pointer", "")), detail=str(e.get("detail", "")))
            for e in body.get("errors") or []
            if isinstance(e, dict)
        ]
        return cls(
            status=int(body.get("status") or status),
            type=str(body.get("type") or "about:blank"),
            title=str(body.get("title") or _reason(status)),
            detail=str(body.get("detail") or ""),
            instance=body.get("instance") or headers.get("x-request-id"),
            errors=errors,
            problem=body,
            retry_after=retry_after,
        )

    @classmethod
    def from_response(cls, response: httpx.Response) -> SinergiError:
        """Builds the error from an httpx response (its body is read if it was streamed)."""
        return cls.from_parts(response.status_code, response.read(), response.headers)


class TokenError(SinergiError):
    """The token endpoint refused to issue a token.

    ``POST /oauth/token`` answers OAuth errors (``{"error": "invalid_client", ...}``), except
    for rate limiting (a ``429`` problem). Every refused credential gets the same
    ``invalid_client`` answer on purpose; the reason is only in the service log.
    """

    def __init__(
        self,
        *,
        status: int,
        error: str,
        error_description: str = "",
        problem: dict[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.error = error
        self.error_description = error_description
        super().__init__(
            status=status,
            type=f"urn:ietf:params:oauth:error:{error}",
            title=error,
            detail=error_description,
            problem=problem,
            retry_after=retry_after,
        )


class _GeneratedResponse(Protocol[T_co]):
    """The shape of ``sinergi_api.types.Response``, without importing generated code."""

    @property
    def status_code(self) -> int: ...  # an http.HTTPStatus is an int

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Any: ...

    @property
    def parsed(self) -> T_co | None: ...


@overload
def unwrap(response: _GeneratedResponse[Any], expected: type[T]) -> T: ...
@overload
def unwrap(response: _GeneratedResponse[T]) -> T | None: ...
def unwrap(response: _GeneratedResponse[Any], expected: type[Any] | None = None) -> Any:
    """Returns the parsed body of a generated ``sync_detailed`` call, or raises SinergiError.

    Use it with the ``sync_detailed`` functions (not ``sync``): they keep the status, body and
    headers that the error needs. With ``expected``, the result is also checked against that
    model class, which gives type checkers the success type::

        graduation = unwrap(publish_graduation.sync_detailed(client=c, body=g), Graduation)
    """
    status = int(response.status_code)
    if status >= 400:
        headers = response.headers
        if not isinstance(headers, httpx.Headers):
            headers = httpx.Headers(headers)
        raise SinergiError.from_parts(status, response.content, headers)
    parsed = response.parsed
    if expected is not None and not isinstance(parsed, expected):
        raise TypeError(
            f"expected {expected.__name__} from a {status} answer, got {type(parsed).__name__}"
        )
    return parsed


def raise_for_problem(response: httpx.Response) -> None:
    """Raises SinergiError when an httpx response is a 4xx or 5xx answer."""
    if response.status_code >= 400:
        raise SinergiError.from_response(response)


def parse_retry_after(value: str | None) -> float | None:
    """Seconds from a ``Retry-After`` header: delta-seconds or an HTTP date (RFC 9110 §10.2.3)."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(int(value)))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"
