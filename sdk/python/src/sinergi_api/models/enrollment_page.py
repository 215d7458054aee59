from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.enrollment import Enrollment
    from ..models.excluded import Excluded


T = TypeVar("T", bound="EnrollmentPage")


@_attrs_define
class EnrollmentPage:
    """One page of enrollments, in the order they were first published.

    Example:
        {'excluded_publishers': [{'agency': 'KEMENKOP', 'reason': 'no-agreement'}], 'items': [{'attributes':
            {'kelompok_kerja': 'Padat Karya Desa Cibodas'}, 'created_at': '2026-08-01T03:00:00.5Z', 'ended_on': None,
            'enrolled_on': '2026-08-01', 'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id':
            '019ac9c4-1a2b-7c3d-9e4f-5a6b7c8d9e0f', 'program': 'PKTD', 'publisher': 'KEMENDES', 'region_code':
            '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id': 'PKTD-2026-000045',
            'status': 'active', 'subject': {'kk': '3201012308150007', 'nik': '3201011507850003'}, 'updated_at':
            '2026-08-01T03:00:00.5Z', 'version': 1}], 'next_cursor': 'AZrJsl8-ehCMHSueT2p8gNX3yNwAK1fX0pWw3xVjQ6A'}

    Attributes:
        excluded_publishers (list[Excluded]): Publishers whose records this search did not look at, and why: none when
            the search
            named the caller's own agency, every other publisher without an agreement in force
            for the declared purpose otherwise. Never a silent partial answer.
        items (list[Enrollment]): Each record as the reader may see it (see [`Enrollment`]).
        next_cursor (None | str | Unset): Pass as `cursor` for the next page; `null` on the last page.
    """

    excluded_publishers: list[Excluded]
    items: list[Enrollment]
    next_cursor: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        excluded_publishers = []
        for excluded_publishers_item_data in self.excluded_publishers:
            excluded_publishers_item = excluded_publishers_item_data.to_dict()
            excluded_publishers.append(excluded_publishers_item)

        items = []
        for items_item_data in self.items:
            items_item = items_item_data.to_dict()
            items.append(items_item)

        next_cursor: None | str | Unset
        if isinstance(self.next_cursor, Unset):
            next_cursor = UNSET
        else:
            next_cursor = self.next_cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "excluded_publishers": excluded_publishers,
                "items": items,
            }
        )
        if next_cursor is not UNSET:
            field_dict["next_cursor"] = next_cursor

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.enrollment import Enrollment
        from ..models.excluded import Excluded

        d = dict(src_dict)
        excluded_publishers = []
        _excluded_publishers = d.pop("excluded_publishers")
        for excluded_publishers_item_data in _excluded_publishers:
            excluded_publishers_item = Excluded.from_dict(excluded_publishers_item_data)

            excluded_publishers.append(excluded_publishers_item)

        items = []
        _items = d.pop("items")
        for items_item_data in _items:
            items_item = Enrollment.from_dict(items_item_data)

            items.append(items_item)

        def _parse_next_cursor(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_cursor = _parse_next_cursor(d.pop("next_cursor", UNSET))

        enrollment_page = cls(
            excluded_publishers=excluded_publishers,
            items=items,
            next_cursor=next_cursor,
        )

        enrollment_page.additional_properties = d
        return enrollment_page

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
