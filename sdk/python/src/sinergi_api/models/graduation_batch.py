from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.graduation_input import GraduationInput


T = TypeVar("T", bound="GraduationBatch")


@_attrs_define
class GraduationBatch:
    """A batch of graduations to publish.

    Example:
        {'items': [{'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type':
            'natural', 'household': {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks':
            ['3201015508870002'], 'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12
            bulan', 'region_code': '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}]}

    Attributes:
        items (list[GraduationInput]):
    """

    items: list[GraduationInput]

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.graduation_input import GraduationInput

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = GraduationInput.from_dict(items_item_data)

            items.append(items_item)

        graduation_batch = cls(
            items=items,
        )

        return graduation_batch
