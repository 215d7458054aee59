from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsistencyProof")


@_attrs_define
class ConsistencyProof:
    """A consistency proof: the tree of size `to` extends the tree of size `from`.

    Example:
        {'from': 21, 'hashes': ['3q2+7w9XqS2b5hL8m2Yb0lV5Qe8y3uVv6tKk1X0m7aU=',
            'Hc0xq5w2mVn8y3V4Zl1kQ5f2eW6Zb8pR1sY0tA7uN9M='], 'to': 42}

    Attributes:
        from_ (int):
        hashes (list[str]): `PROOF(from, D[to])` (RFC 9162 §2.1.4.1), base64; empty when `from` equals `to`.
        to (int):
    """

    from_: int
    hashes: list[str]
    to: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_ = self.from_

        hashes = self.hashes

        to = self.to

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from": from_,
                "hashes": hashes,
                "to": to,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_ = d.pop("from")

        hashes = cast(list[str], d.pop("hashes"))

        to = d.pop("to")

        consistency_proof = cls(
            from_=from_,
            hashes=hashes,
            to=to,
        )

        consistency_proof.additional_properties = d
        return consistency_proof

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
