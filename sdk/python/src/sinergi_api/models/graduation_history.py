from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.graduation import Graduation


T = TypeVar("T", bound="GraduationHistory")


@_attrs_define
class GraduationHistory:
    """Every version of one graduation, oldest first.

    Example:
        {'items': [{'attributes': {'pendamping': 'PD-3201-17'}, 'created_at': '2026-07-01T02:15:00.123456Z',
            'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'member_niks': ['3201015508870002'],
            'program': 'PKH', 'publisher': 'KEMENSOS', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12
            bulan', 'region_code': '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id':
            'PKH-2026-3201-000123', 'updated_at': '2026-07-01T02:15:00.123456Z', 'version': 1, 'welfare_decile': 6},
            {'attributes': {'pendamping': 'PD-3201-17'}, 'created_at': '2026-07-01T02:15:00.123456Z', 'graduated_on':
            '2026-06-30', 'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
            '3201012308150007'}, 'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'member_niks': ['3201015508870002'],
            'program': 'PKH', 'publisher': 'KEMENSOS', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12
            bulan', 'region_code': '32.01.01.1002', 'retracted': True, 'retraction_reason': 'Data ganda: keluarga sudah
            tercatat dengan id lain', 'source_record_id': 'PKH-2026-3201-000123', 'updated_at': '2026-09-01T01:00:00Z',
            'version': 2, 'welfare_decile': 6}]}

    Attributes:
        items (list[Graduation]):
    """

    items: list[Graduation]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "items": items,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.graduation import Graduation

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = Graduation.from_dict(items_item_data)

            items.append(items_item)

        graduation_history = cls(
            items=items,
        )

        graduation_history.additional_properties = d
        return graduation_history

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
