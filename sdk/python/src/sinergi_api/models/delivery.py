from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Delivery")


@_attrs_define
class Delivery:
    """One delivery attempt.

    Attributes:
        attempt (int): 1 for the first attempt of this change.
        latency_ms (int):
        position (int): The change's position in the feed.
        time (datetime.datetime):
        error (None | str | Unset): Why the attempt failed: the status (followed by the start of the answer, except from
            a receiver the operator allow-lists, whose answer is never shown), or what went wrong
            in connecting, in words that never repeat the URL, its host or the addresses it
            resolves to. Null for a delivered change.
        status_code (int | None | Unset): The receiver's HTTP status; null when none came (timeout, refused connection).
    """

    attempt: int
    latency_ms: int
    position: int
    time: datetime.datetime
    error: None | str | Unset = UNSET
    status_code: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempt = self.attempt

        latency_ms = self.latency_ms

        position = self.position

        time = self.time.isoformat()

        error: None | str | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        else:
            error = self.error

        status_code: int | None | Unset
        if isinstance(self.status_code, Unset):
            status_code = UNSET
        else:
            status_code = self.status_code

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempt": attempt,
                "latency_ms": latency_ms,
                "position": position,
                "time": time,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error
        if status_code is not UNSET:
            field_dict["status_code"] = status_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        attempt = d.pop("attempt")

        latency_ms = d.pop("latency_ms")

        position = d.pop("position")

        time = datetime.datetime.fromisoformat(d.pop("time"))

        def _parse_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        error = _parse_error(d.pop("error", UNSET))

        def _parse_status_code(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        status_code = _parse_status_code(d.pop("status_code", UNSET))

        delivery = cls(
            attempt=attempt,
            latency_ms=latency_ms,
            position=position,
            time=time,
            error=error,
            status_code=status_code,
        )

        delivery.additional_properties = d
        return delivery

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
