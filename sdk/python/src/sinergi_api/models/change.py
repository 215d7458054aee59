from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action
from ..models.change_type import ChangeType

if TYPE_CHECKING:
    from ..models.change_record import ChangeRecord


T = TypeVar("T", bound="Change")


@_attrs_define
class Change:
    """One change: a record version that was created, updated or retracted, or a step in a
    data-sharing agreement's life.

        Example:
            {'action': 'created', 'occurred_at': '2026-11-28T03:12:45.123456Z', 'position': 4258, 'publisher': 'KEMENSOS',
                'record': {'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKH', 'publisher': 'KEMENSOS', 'retracted':
                False, 'source_record_id': 'PKH-2026-3201-000123', 'version': 1}, 'record_id':
                '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'type': 'graduation', 'version': 1}

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
            record (ChangeRecord): The record as of this version (a `Graduation` or an `Enrollment`, by `type`; a
                retracted version carries `retracted: true`), or the `Agreement` or `Referral` as the
                change left it (a referral's family shown as the reader's agreement allows).
            record_id (UUID): The record's id, the agreement's or the referral's.
            type_ (ChangeType): What a change is about: a record, a data-sharing agreement or a referral.
            version (int): The record's version, the agreement's version the change is about, or the referral's
                version after the step.
    """

    action: Action
    occurred_at: datetime.datetime
    position: int
    publisher: str
    record: ChangeRecord
    record_id: UUID
    type_: ChangeType
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
        from ..models.change_record import ChangeRecord

        d = dict(src_dict)
        action = Action(d.pop("action"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        position = d.pop("position")

        publisher = d.pop("publisher")

        record = ChangeRecord.from_dict(d.pop("record"))

        record_id = UUID(d.pop("record_id"))

        type_ = ChangeType(d.pop("type"))

        version = d.pop("version")

        change = cls(
            action=action,
            occurred_at=occurred_at,
            position=position,
            publisher=publisher,
            record=record,
            record_id=record_id,
            type_=type_,
            version=version,
        )

        change.additional_properties = d
        return change

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
