from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.action import Action
from ..models.follow_up_change_type import FollowUpChangeType

if TYPE_CHECKING:
    from ..models.signal import Signal


T = TypeVar("T", bound="FollowUpChange")


@_attrs_define
class FollowUpChange:
    """A change of type `follow_up`: its `record` is the `Signal` as the change left it, shown as the reader may see it.

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
        record (Signal): One follow-up signal. Example: {'age_days': 3, 'cause': 'social_assistance_enrollment',
            'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id': '019ae0f1-2b7c-7d3e-9a41-5c6d7e8f9a0b', 'kind':
            'graduation.relapse', 'program': 'PKH', 'publisher': 'KEMENSOS', 'raised_at': '2026-12-05T01:00:00Z', 'records':
            ['019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', '019ae0c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f'], 'region_code':
            '32.01.01.1002'}.
        record_id (UUID): The record's id, the agreement's or the referral's.
        type_ (FollowUpChangeType):
        version (int): The record's version, the agreement's version the change is about, or the referral's
            version after the step.
    """

    action: Action
    occurred_at: datetime.datetime
    position: int
    publisher: str
    record: Signal
    record_id: UUID
    type_: FollowUpChangeType
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
        from ..models.signal import Signal

        d = dict(src_dict)
        action = Action(d.pop("action"))

        occurred_at = datetime.datetime.fromisoformat(d.pop("occurred_at"))

        position = d.pop("position")

        publisher = d.pop("publisher")

        record = Signal.from_dict(d.pop("record"))

        record_id = UUID(d.pop("record_id"))

        type_ = FollowUpChangeType(d.pop("type"))

        version = d.pop("version")

        follow_up_change = cls(
            action=action,
            occurred_at=occurred_at,
            position=position,
            publisher=publisher,
            record=record,
            record_id=record_id,
            type_=type_,
            version=version,
        )

        follow_up_change.additional_properties = d
        return follow_up_change

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
