from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define

if TYPE_CHECKING:
    from ..models.enrollment_input import EnrollmentInput


T = TypeVar("T", bound="EnrollmentBatch")


@_attrs_define
class EnrollmentBatch:
    """A batch of enrollments to publish.

    Example:
        {'items': [{'attributes': {'kelompok_kerja': 'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on':
            '2026-08-01', 'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code':
            '32.01.01.1002', 'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject': {'kk':
            '3201012308150007', 'nik': '3201011507850003'}}]}

    Attributes:
        items (list[EnrollmentInput]):
    """

    items: list[EnrollmentInput]

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
        from ..models.enrollment_input import EnrollmentInput

        d = dict(src_dict)
        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = EnrollmentInput.from_dict(items_item_data)

            items.append(items_item)

        enrollment_batch = cls(
            items=items,
        )

        return enrollment_batch
