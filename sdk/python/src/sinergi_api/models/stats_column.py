from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StatsColumn")


@_attrs_define
class StatsColumn:
    """
    Attributes:
        code (str):  Example: enrolled_0_30.
        name_en (str):  Example: Enrolled within 30 days.
        name_id (str):  Example: Terdaftar dalam 30 hari.
    """

    code: str
    name_en: str
    name_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        name_en = self.name_en

        name_id = self.name_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "name_en": name_en,
                "name_id": name_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        name_en = d.pop("name_en")

        name_id = d.pop("name_id")

        stats_column = cls(
            code=code,
            name_en=name_en,
            name_id=name_id,
        )

        stats_column.additional_properties = d
        return stats_column

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
