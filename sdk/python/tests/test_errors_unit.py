"""SinergiError: every field of an RFC 9457 problem, from any kind of answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from http import HTTPStatus

import httpx
import pytest

from sinergi_api.models import Graduation, Problem
from sinergi_api.types import Response
from sinergi_sdk import FieldError, SinergiError, TokenError, raise_for_problem, unwrap
from sinergi_sdk.errors import parse_retry_after

PROBLEM = {
    "type": "urn:sinergi:problem:validation",
    "title": "The request is not valid",
    "status": 400,
    "detail": "2 fields are not valid",
    "instance": "101bc443-00a7-4722-9fa6-1f107142943f",
    "errors": [
        {"pointer": "/items/0/household/kk", "detail": "must be 16 digits, got 15"},
        {"pointer": "/items/1/welfare_decile", "detail": "must be a welfare decile from 1 to 10"},
    ],
}


def generated_response(
    status: int, body: object, headers: dict[str, str] | None = None
) -> Response[object]:
    content = json.dumps(body).encode()
    parsed = Problem.from_dict(body) if status >= 400 else body  # type: ignore[arg-type]
    return Response(
        status_code=HTTPStatus(status),
        content=content,
        headers=httpx.Headers(headers or {}),
        parsed=parsed,
    )


def test_problem_fields_and_every_error() -> None:
    error = SinergiError.from_parts(400, json.dumps(PROBLEM).encode())
    assert error.status == 400
    assert error.type == "urn:sinergi:problem:validation"
    assert error.title == "The request is not valid"
    assert error.detail == "2 fields are not valid"
    assert error.instance == PROBLEM["instance"]
    assert error.errors == [
        FieldError("/items/0/household/kk", "must be 16 digits, got 15"),
        FieldError("/items/1/welfare_decile", "must be a welfare decile from 1 to 10"),
    ]
    text = str(error)
    assert "/items/0/household/kk: must be 16 digits" in text
    assert "/items/1/welfare_decile" in text
    assert PROBLEM["instance"] in text


def test_unwrap_raises_for_a_problem_and_returns_the_model_otherwise() -> None:
    with pytest.raises(SinergiError) as raised:
        unwrap(generated_response(400, PROBLEM, {"X-Request-Id": "r1"}))
    assert len(raised.value.errors) == 2
    graduation = {"id": "x"}
    assert unwrap(generated_response(200, graduation)) == graduation
    with pytest.raises(TypeError):
        unwrap(generated_response(200, graduation), Graduation)


def test_unknown_members_are_kept() -> None:
    body = {**PROBLEM, "status": 409, "allowed_transitions": ["accept"]}
    error = SinergiError.from_parts(409, json.dumps(body).encode())
    assert error.problem["allowed_transitions"] == ["accept"]


def test_oauth_error_is_a_token_error() -> None:
    body = {"error": "invalid_client", "error_description": "client authentication failed"}
    error = SinergiError.from_parts(401, json.dumps(body).encode())
    assert isinstance(error, TokenError)
    assert error.error == "invalid_client"
    assert error.detail == "client authentication failed"


def test_a_body_that_is_not_a_problem() -> None:
    response = httpx.Response(502, text="<html>Bad gateway</html>", headers={"Retry-After": "7"})
    with pytest.raises(SinergiError) as raised:
        raise_for_problem(response)
    assert raised.value.status == 502
    assert raised.value.title == "Bad Gateway"
    assert "Bad gateway" in raised.value.detail
    assert raised.value.retry_after == 7.0
    raise_for_problem(httpx.Response(204))


def test_retry_after_forms() -> None:
    assert parse_retry_after("3") == 3.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = format_datetime(datetime.now(UTC) + timedelta(seconds=30), usegmt=True)
    assert 25 <= (parse_retry_after(later) or 0) <= 30
