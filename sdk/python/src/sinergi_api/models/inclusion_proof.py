from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="InclusionProof")


@_attrs_define
class InclusionProof:
    """An inclusion proof: entry `index` is in the tree of size `tree_size`.

    Example:
        {'hashes': ['3q2+7w9XqS2b5hL8m2Yb0lV5Qe8y3uVv6tKk1X0m7aU=', 'Hc0xq5w2mVn8y3V4Zl1kQ5f2eW6Zb8pR1sY0tA7uN9M='],
            'index': 3, 'tree_size': 42}

    Attributes:
        hashes (list[str]): `PATH(index, D[tree_size])` (RFC 9162 §2.1.3.1), base64, nearest the leaf first.
        index (int):
        tree_size (int):
    """

    hashes: list[str]
    index: int
    tree_size: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        hashes = self.hashes

        index = self.index

        tree_size = self.tree_size

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "hashes": hashes,
                "index": index,
                "tree_size": tree_size,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        hashes = cast(list[str], d.pop("hashes"))

        index = d.pop("index")

        tree_size = d.pop("tree_size")

        inclusion_proof = cls(
            hashes=hashes,
            index=index,
            tree_size=tree_size,
        )

        inclusion_proof.additional_properties = d
        return inclusion_proof

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
