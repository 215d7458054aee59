from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Aggregate")


@_attrs_define
class Aggregate:
    """What an aggregate entry counts: `requests` anonymous requests from `source_address`
    with the entry's method, route and status, the first at the entry's `time`, the last at
    `last_time`. An aggregate whose `source_address` is `*` counts the requests of every
    address beyond the most a window records one by one.

        Attributes:
            last_time (str): When the last of them arrived, RFC 3339 in UTC with microseconds.
            requests (int):
    """

    last_time: str
    requests: int

    def to_dict(self) -> dict[str, Any]:
        last_time = self.last_time

        requests = self.requests

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "last_time": last_time,
                "requests": requests,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        last_time = d.pop("last_time")

        requests = d.pop("requests")

        aggregate = cls(
            last_time=last_time,
            requests=requests,
        )

        return aggregate
