from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action
from ..models.graduation_change_type import GraduationChangeType

if TYPE_CHECKING:
    from ..models.graduation import Graduation


T = TypeVar("T", bound="GraduationChange")


@_attrs_define
class GraduationChange:
    """A change of type `graduation`: its `record` is the `Graduation` as the change left it, shown as the reader may see
    it.

        Example:
            {'action': 'created', 'occurred_at': '2026-11-28T03:12:45.123456Z', 'position': 4258, 'publisher': 'KEMENSOS',
                'record': {'attributes': {'pendamping': 'PD-3201-17'}, 'created_at': '2026-07-01T02:15:00.123456Z',
                'graduated_on': '2026-06-30', 'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
                '3201012308150007'}, 'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'member_niks': ['3201015508870002'],
                'program': 'PKH', 'publisher': 'KEMENSOS', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12
                bulan', 'region_code': '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id':
                'PKH-2026-3201-000123', 'updated_at': '2026-07-01T02:15:00.123456Z', 'version': 1, 'welfare_decile': 6},
                'record_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'type': 'graduation', 'version': 1}

        Attributes:
            action (Action): What happened. To a record: `created`, `updated` (a new version, including a retracted
                record published again) or `retracted`. To an agreement: `proposed` (also wider terms
                awaiting approval), `amended` (narrower terms, in force at once), `approved`, `resumed`,
                `suspended`, `terminated`, `expiring` (30 days before the `valid_until` of the terms in
                force) and `expired`. To a referral: `offered` (when made, to fallbacks, again after a
                release), `accepted`, `declined` (by one agency), `withdrawn`, `released`, `enrolled`,
                `overdue` (a deadline passed) and `lapsed`. To a follow-up signal: `raised` and `closed`.
                A consumer skips an action it does not know.
            occurred_at (datetime.datetime):
            position (int): Strictly increasing along the feed; pass the page's `next` as `after`.
            publisher (str): The record's publisher, the agreement's provider agency, or the referral's requester. Example:
                KEMENSOS.
            record (Graduation): A graduation record as the exchange answers it.

                Read by another agency than its publisher, a record holds only the fields of the data-sharing agreement it is
                read under (the metadata, `source_record_id`, `publisher` and `program` always). Example: {'attributes':
                {'pendamping': 'PD-3201-17'}, 'created_at': '2026-07-01T02:15:00.123456Z', 'graduated_on': '2026-06-30',
                'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'id':
                '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'member_niks': ['3201015508870002'], 'program': 'PKH', 'publisher':
                'KEMENSOS', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
                '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id': 'PKH-2026-3201-000123',
                'updated_at': '2026-07-01T02:15:00.123456Z', 'version': 1, 'welfare_decile': 6}.
            record_id (UUID): The record's id, the agreement's or the referral's.
            type_ (GraduationChangeType):
            version (int): The record's version, the agreement's version the change is about, or the referral's
                version after the step.
    """

    action: Action
    occurred_at: datetime.datetime
    position: int
    publisher: str
    record: Graduation
    record_id: UUID
    type_: GraduationChangeType
    version: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        action = self.action.value

        occurred_at = self.occurred_at.isoformat()

        position = self.position

        publisher = self.publisher

        record = self.record.to_dict()

        record_id = str(self.record_id)

        type_ = self.type_.value

        version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "action": action,
                "occurred_at": occurred_at,
                "position": position,
                "publisher": publisher,
                "record": record,
                "record_id": record_id,
                "type": type_,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.graduation import Graduation

        d = dict(src_dict)
        action = Action(d.pop("action"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        position = d.pop("position")

        publisher = d.pop("publisher")

        record = Graduation.from_dict(d.pop("record"))

        record_id = UUID(d.pop("record_id"))

        type_ = GraduationChangeType(d.pop("type"))

        version = d.pop("version")

        graduation_change = cls(
            action=action,
            occurred_at=occurred_at,
            position=position,
            publisher=publisher,
            record=record,
            record_id=record_id,
            type_=type_,
            version=version,
        )

        graduation_change.additional_properties = d
        return graduation_change

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
