from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.referral_priority import ReferralPriority
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.offer_to import OfferTo


T = TypeVar("T", bound="NewReferral")


@_attrs_define
class NewReferral:
    """A referral as the requester sends it.

    Example:
        {'complete_by': '2027-03-05T00:00:00Z', 'fallback_to': [{'agency': 'KEMENKOP'}], 'graduation_id':
            '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'offered_to': [{'agency': 'KEMENDES', 'target_program': 'PADAT_KARYA'}],
            'priority': 'routine', 'purpose': 'PEMBERDAYAAN_EKONOMI', 'reason_code': 'USAHA_MIKRO', 'respond_by':
            '2026-12-19T00:00:00Z', 'source_record_id': 'RUJUK-2026-0001'}

    Attributes:
        graduation_id (UUID): The graduation of the family referred.
        offered_to (list[OfferTo]): The agencies asked to take the family up, all at once: the first to accept owns it.
        purpose (str): A purpose of processing, such as `PEMBERDAYAAN_EKONOMI`. Example: PEMBERDAYAAN_EKONOMI.
        reason_code (str): Why the family fits (a `referral` reason of `GET /v1/referral-reasons`). Example:
            USAHA_MIKRO.
        source_record_id (str): The publisher's own id for the record (1-128 characters, no control characters);
            publishing the same id again updates the record Example: PKH-2026-3201-000123.
        complete_by (datetime.datetime | None | Unset): By when the family is enrolled; default 90 days from now
            (urgent: 60). At most a year
            ahead, and after `respond_by`.
        fallback_to (list[OfferTo] | Unset): Agencies offered the referral, in this order, once those of `offered_to`
            have all
            declined or let `respond_by` pass.
        note (None | str | Unset): For the receiving agencies; no NIK or KK (those travel in `subject`).
        priority (ReferralPriority | Unset):
        respond_by (datetime.datetime | None | Unset): By when an agency answers; default 14 days from now (urgent: 7).
    """

    graduation_id: UUID
    offered_to: list[OfferTo]
    purpose: str
    reason_code: str
    source_record_id: str
    complete_by: datetime.datetime | None | Unset = UNSET
    fallback_to: list[OfferTo] | Unset = UNSET
    note: None | str | Unset = UNSET
    priority: ReferralPriority | Unset = UNSET
    respond_by: datetime.datetime | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        graduation_id = str(self.graduation_id)

        offered_to = []
        for offered_to_item_data in self.offered_to:
            offered_to_item = offered_to_item_data.to_dict()
            offered_to.append(offered_to_item)

        purpose = self.purpose

        reason_code = self.reason_code

        source_record_id = self.source_record_id

        complete_by: None | str | Unset
        if isinstance(self.complete_by, Unset):
            complete_by = UNSET
        elif isinstance(self.complete_by, datetime.datetime):
            complete_by = self.complete_by.isoformat()
        else:
            complete_by = self.complete_by

        fallback_to: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.fallback_to, Unset):
            fallback_to = []
            for fallback_to_item_data in self.fallback_to:
                fallback_to_item = fallback_to_item_data.to_dict()
                fallback_to.append(fallback_to_item)

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        priority: str | Unset = UNSET
        if not isinstance(self.priority, Unset):
            priority = self.priority.value

        respond_by: None | str | Unset
        if isinstance(self.respond_by, Unset):
            respond_by = UNSET
        elif isinstance(self.respond_by, datetime.datetime):
            respond_by = self.respond_by.isoformat()
        else:
            respond_by = self.respond_by

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "graduation_id": graduation_id,
                "offered_to": offered_to,
                "purpose": purpose,
                "reason_code": reason_code,
                "source_record_id": source_record_id,
            }
        )
        if complete_by is not UNSET:
            field_dict["complete_by"] = complete_by
        if fallback_to is not UNSET:
            field_dict["fallback_to"] = fallback_to
        if note is not UNSET:
            field_dict["note"] = note
        if priority is not UNSET:
            field_dict["priority"] = priority
        if respond_by is not UNSET:
            field_dict["respond_by"] = respond_by

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.offer_to import OfferTo

        d = dict(src_dict)
        graduation_id = UUID(d.pop("graduation_id"))

        offered_to = []
        _offered_to = d.pop("offered_to")
        for offered_to_item_data in _offered_to:
            offered_to_item = OfferTo.from_dict(offered_to_item_data)

            offered_to.append(offered_to_item)

        purpose = d.pop("purpose")

        reason_code = d.pop("reason_code")

        source_record_id = d.pop("source_record_id")

        def _parse_complete_by(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                complete_by_type_0 = datetime.datetime.fromisoformat(data)

                return complete_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        complete_by = _parse_complete_by(d.pop("complete_by", UNSET))

        _fallback_to = d.pop("fallback_to", UNSET)
        fallback_to: list[OfferTo] | Unset = UNSET
        if _fallback_to is not UNSET:
            fallback_to = []
            for fallback_to_item_data in _fallback_to:
                fallback_to_item = OfferTo.from_dict(fallback_to_item_data)

                fallback_to.append(fallback_to_item)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        _priority = d.pop("priority", UNSET)
        priority: ReferralPriority | Unset
        if isinstance(_priority, Unset):
            priority = UNSET
        else:
            priority = ReferralPriority(_priority)

        def _parse_respond_by(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                respond_by_type_0 = datetime.datetime.fromisoformat(data)

                return respond_by_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        respond_by = _parse_respond_by(d.pop("respond_by", UNSET))

        new_referral = cls(
            graduation_id=graduation_id,
            offered_to=offered_to,
            purpose=purpose,
            reason_code=reason_code,
            source_record_id=source_record_id,
            complete_by=complete_by,
            fallback_to=fallback_to,
            note=note,
            priority=priority,
            respond_by=respond_by,
        )

        return new_referral
