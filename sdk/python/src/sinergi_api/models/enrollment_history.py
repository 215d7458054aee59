from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.enrollment import Enrollment


T = TypeVar("T", bound="EnrollmentHistory")


@_attrs_define
class EnrollmentHistory:
    """Every version of one enrollment, oldest first.

    Example:
        {'items': [{'attributes': {'kelompok_kerja': 'Padat Karya Desa Cibodas'}, 'created_at':
            '2026-08-01T03:00:00.5Z', 'ended_on': None, 'enrolled_on': '2026-08-01', 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id': '019ac9c4-1a2b-7c3d-9e4f-5a6b7c8d9e0f', 'program': 'PKTD',
            'publisher': 'KEMENDES', 'region_code': '32.01.01.1002', 'retracted': False, 'retraction_reason': None,
            'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject': {'kk': '3201012308150007', 'nik':
            '3201011507850003'}, 'updated_at': '2026-08-01T03:00:00.5Z', 'version': 1}, {'attributes': {'kelompok_kerja':
            'Padat Karya Desa Cibodas'}, 'created_at': '2026-08-01T03:00:00.5Z', 'ended_on': None, 'enrolled_on':
            '2026-08-01', 'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id':
            '019ac9c4-1a2b-7c3d-9e4f-5a6b7c8d9e0f', 'program': 'PKTD', 'publisher': 'KEMENDES', 'region_code':
            '32.01.01.1002', 'retracted': True, 'retraction_reason': 'Data ganda: keluarga sudah tercatat dengan id lain',
            'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject': {'kk': '3201012308150007', 'nik':
            '3201011507850003'}, 'updated_at': '2026-09-01T01:00:00Z', 'version': 2}]}

    Attributes:
        items (list[Enrollment]):
    """

    items: list[Enrollment]
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
        from ..models.enrollment import Enrollment

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = Enrollment.from_dict(items_item_data)

            items.append(items_item)

        enrollment_history = cls(
            items=items,
        )

        enrollment_history.additional_properties = d
        return enrollment_history

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
