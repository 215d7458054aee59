from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.referral_priority import ReferralPriority
from ..models.referral_status import ReferralStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.referral_offer import ReferralOffer
    from ..models.referral_subject import ReferralSubject


T = TypeVar("T", bound="Referral")


@_attrs_define
class Referral:
    """A request that an agency take up a graduated family, with the deadlines the exchange
    keeps.

        Attributes:
            complete_by (datetime.datetime):
            created_at (datetime.datetime):
            fallback_to (list[ReferralOffer]):
            graduation_id (UUID):
            graduation_publisher (str): Whose graduation it is: the agreements with this agency decide what the receiving
                agencies see of the family. Example: KEMENSOS.
            id (UUID):
            offered_to (list[ReferralOffer]):
            priority (ReferralPriority):
            purpose (str):  Example: PEMBERDAYAAN_EKONOMI.
            reason_code (str):
            requester_agency (str):  Example: KEMENSOS.
            respond_by (datetime.datetime):
            source_record_id (str):
            status (ReferralStatus): Where a referral stands.
            subject (ReferralSubject): The family a referral is about: the graduation's KK and head of family, each shown
                when
                the agreement between the graduation's publisher and the reader covers it
                (`/household/kk`, `/household/head_nik`); without the NIK, `subject_ref`, the reader's
                own pseudonym of it (as on records).
            updated_at (datetime.datetime):
            version (int): Counts every step; the ETag, which `If-Match` names.
            enrollment_id (UUID | Unset): The enrollment that completed it.
            note (str | Unset):
            owner_agency (str | Unset): The agency that accepted it.
            status_reason (str | Unset): The reason of the last decline, withdrawal or release.
    """

    complete_by: datetime.datetime
    created_at: datetime.datetime
    fallback_to: list[ReferralOffer]
    graduation_id: UUID
    graduation_publisher: str
    id: UUID
    offered_to: list[ReferralOffer]
    priority: ReferralPriority
    purpose: str
    reason_code: str
    requester_agency: str
    respond_by: datetime.datetime
    source_record_id: str
    status: ReferralStatus
    subject: ReferralSubject
    updated_at: datetime.datetime
    version: int
    enrollment_id: UUID | Unset = UNSET
    note: str | Unset = UNSET
    owner_agency: str | Unset = UNSET
    status_reason: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        complete_by = self.complete_by.isoformat()

        created_at = self.created_at.isoformat()

        fallback_to = []
        for fallback_to_item_data in self.fallback_to:
            fallback_to_item = fallback_to_item_data.to_dict()
            fallback_to.append(fallback_to_item)

        graduation_id = str(self.graduation_id)

        graduation_publisher = self.graduation_publisher

        id = str(self.id)

        offered_to = []
        for offered_to_item_data in self.offered_to:
            offered_to_item = offered_to_item_data.to_dict()
            offered_to.append(offered_to_item)

        priority = self.priority.value

        purpose = self.purpose

        reason_code = self.reason_code

        requester_agency = self.requester_agency

        respond_by = self.respond_by.isoformat()

        source_record_id = self.source_record_id

        status = self.status.value

        subject = self.subject.to_dict()

        updated_at = self.updated_at.isoformat()

        version = self.version

        enrollment_id: str | Unset = UNSET
        if not isinstance(self.enrollment_id, Unset):
            enrollment_id = str(self.enrollment_id)

        note = self.note

        owner_agency = self.owner_agency

        status_reason = self.status_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "complete_by": complete_by,
                "created_at": created_at,
                "fallback_to": fallback_to,
                "graduation_id": graduation_id,
                "graduation_publisher": graduation_publisher,
                "id": id,
                "offered_to": offered_to,
                "priority": priority,
                "purpose": purpose,
                "reason_code": reason_code,
                "requester_agency": requester_agency,
                "respond_by": respond_by,
                "source_record_id": source_record_id,
                "status": status,
                "subject": subject,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if enrollment_id is not UNSET:
            field_dict["enrollment_id"] = enrollment_id
        if note is not UNSET:
            field_dict["note"] = note
        if owner_agency is not UNSET:
            field_dict["owner_agency"] = owner_agency
        if status_reason is not UNSET:
            field_dict["status_reason"] = status_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.referral_offer import ReferralOffer
        from ..models.referral_subject import ReferralSubject

        d = dict(src_dict)
        complete_by = datetime.datetime.fromisoformat(d.pop("complete_by"))

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        fallback_to = []
        _fallback_to = d.pop("fallback_to")
        for fallback_to_item_data in _fallback_to:
            fallback_to_item = ReferralOffer.from_dict(fallback_to_item_data)

            fallback_to.append(fallback_to_item)

        graduation_id = UUID(d.pop("graduation_id"))

        graduation_publisher = d.pop("graduation_publisher")

        id = UUID(d.pop("id"))

        offered_to = []
        _offered_to = d.pop("offered_to")
        for offered_to_item_data in _offered_to:
            offered_to_item = ReferralOffer.from_dict(offered_to_item_data)

            offered_to.append(offered_to_item)

        priority = ReferralPriority(d.pop("priority"))

        purpose = d.pop("purpose")

        reason_code = d.pop("reason_code")

        requester_agency = d.pop("requester_agency")

        respond_by = datetime.datetime.fromisoformat(d.pop("respond_by"))

        source_record_id = d.pop("source_record_id")

        status = ReferralStatus(d.pop("status"))

        subject = ReferralSubject.from_dict(d.pop("subject"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        _enrollment_id = d.pop("enrollment_id", UNSET)
        enrollment_id: UUID | Unset
        if isinstance(_enrollment_id, Unset):
            enrollment_id = UNSET
        else:
            enrollment_id = UUID(_enrollment_id)

        note = d.pop("note", UNSET)

        owner_agency = d.pop("owner_agency", UNSET)

        status_reason = d.pop("status_reason", UNSET)

        referral = cls(
            complete_by=complete_by,
            created_at=created_at,
            fallback_to=fallback_to,
            graduation_id=graduation_id,
            graduation_publisher=graduation_publisher,
            id=id,
            offered_to=offered_to,
            priority=priority,
            purpose=purpose,
            reason_code=reason_code,
            requester_agency=requester_agency,
            respond_by=respond_by,
            source_record_id=source_record_id,
            status=status,
            subject=subject,
            updated_at=updated_at,
            version=version,
            enrollment_id=enrollment_id,
            note=note,
            owner_agency=owner_agency,
            status_reason=status_reason,
        )

        referral.additional_properties = d
        return referral

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
