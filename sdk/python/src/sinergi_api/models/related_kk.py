from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RelatedKk")


@_attrs_define
class RelatedKk:
    """A card the lineage reaches, and how many links away.

    Attributes:
        kk (str): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last four not
            0000 Example: 3301010101090001.
        links_away (int):
    """

    kk: str
    links_away: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        kk = self.kk

        links_away = self.links_away

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "kk": kk,
                "links_away": links_away,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kk = d.pop("kk")

        links_away = d.pop("links_away")

        related_kk = cls(
            kk=kk,
            links_away=links_away,
        )

        related_kk.additional_properties = d
        return related_kk

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
