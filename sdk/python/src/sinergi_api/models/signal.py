from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.signal_kind import SignalKind
from ..types import UNSET, Unset

T = TypeVar("T", bound="Signal")


@_attrs_define
class Signal:
    """One follow-up signal.

    Example:
        {'age_days': 3, 'cause': 'social_assistance_enrollment', 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id': '019ae0f1-2b7c-7d3e-9a41-5c6d7e8f9a0b', 'kind':
            'graduation.relapse', 'program': 'PKH', 'publisher': 'KEMENSOS', 'raised_at': '2026-12-05T01:00:00Z', 'records':
            ['019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', '019ae0c4-1a2b-7c3d-8e4f-5a6b7c8d9e0f'], 'region_code':
            '32.01.01.1002'}

    Attributes:
        age_days (int): Whole days since it was raised.
        cause (str): What raised it: `no_referral`; `social_assistance_enrollment` or `welfare_decile`
            (a relapse); `respond_by` or `complete_by` (an overdue referral).
        graduation_id (UUID):
        id (UUID):
        kind (SignalKind): What a signal says.
        program (str): The graduation's program.
        publisher (str): The graduation's publisher. Example: KEMENSOS.
        raised_at (datetime.datetime):
        records (list[str]): The ids of the records (and referral) that raised it: the graduation, and the
            enrollment of a relapse.
        region_code (str): The family's village when it graduated.
        closed_at (datetime.datetime | Unset): When it was closed (a referral or an enrollment followed; the referral
            moved on);
            absent while open.
        referral_id (UUID | Unset):
    """

    age_days: int
    cause: str
    graduation_id: UUID
    id: UUID
    kind: SignalKind
    program: str
    publisher: str
    raised_at: datetime.datetime
    records: list[str]
    region_code: str
    closed_at: datetime.datetime | Unset = UNSET
    referral_id: UUID | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        age_days = self.age_days

        cause = self.cause

        graduation_id = str(self.graduation_id)

        id = str(self.id)

        kind = self.kind.value

        program = self.program

        publisher = self.publisher

        raised_at = self.raised_at.isoformat()

        records = self.records

        region_code = self.region_code

        closed_at: str | Unset = UNSET
        if not isinstance(self.closed_at, Unset):
            closed_at = self.closed_at.isoformat()

        referral_id: str | Unset = UNSET
        if not isinstance(self.referral_id, Unset):
            referral_id = str(self.referral_id)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "age_days": age_days,
                "cause": cause,
                "graduation_id": graduation_id,
                "id": id,
                "kind": kind,
                "program": program,
                "publisher": publisher,
                "raised_at": raised_at,
                "records": records,
                "region_code": region_code,
            }
        )
        if closed_at is not UNSET:
            field_dict["closed_at"] = closed_at
        if referral_id is not UNSET:
            field_dict["referral_id"] = referral_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        age_days = d.pop("age_days")

        cause = d.pop("cause")

        graduation_id = UUID(d.pop("graduation_id"))

        id = UUID(d.pop("id"))

        kind = SignalKind(d.pop("kind"))

        program = d.pop("program")

        publisher = d.pop("publisher")

        raised_at = datetime.datetime.fromisoformat(d.pop("raised_at"))

        records = cast(list[str], d.pop("records"))

        region_code = d.pop("region_code")

        _closed_at = d.pop("closed_at", UNSET)
        closed_at: datetime.datetime | Unset
        if isinstance(_closed_at, Unset):
            closed_at = UNSET
        else:
            closed_at = datetime.datetime.fromisoformat(_closed_at)

        _referral_id = d.pop("referral_id", UNSET)
        referral_id: UUID | Unset
        if isinstance(_referral_id, Unset):
            referral_id = UNSET
        else:
            referral_id = UUID(_referral_id)

        signal = cls(
            age_days=age_days,
            cause=cause,
            graduation_id=graduation_id,
            id=id,
            kind=kind,
            program=program,
            publisher=publisher,
            raised_at=raised_at,
            records=records,
            region_code=region_code,
            closed_at=closed_at,
            referral_id=referral_id,
        )

        signal.additional_properties = d
        return signal

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
