from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.referral_target import ReferralTarget
from ..types import UNSET, Unset

T = TypeVar("T", bound="TransitionRequest")


@_attrs_define
class TransitionRequest:
    """A step a client asks for.

    Example:
        {'note': 'Kuota padat karya 2026 sudah penuh', 'reason_code': 'KUOTA_PENUH', 'to': 'declined'}

    Attributes:
        to (ReferralTarget): A state a client may move a referral to.
        enrollment_id (None | Unset | UUID): Required for `enrolled`: the owner's enrollment of the family, with the
            referral's
            `graduation_id`.
        note (None | str | Unset): No NIK or KK.
        reason_code (None | str | Unset): Required to decline, withdraw or release: a reason of `GET /v1/referral-
            reasons`
            that applies to the step.
    """

    to: ReferralTarget
    enrollment_id: None | Unset | UUID = UNSET
    note: None | str | Unset = UNSET
    reason_code: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        to = self.to.value

        enrollment_id: None | str | Unset
        if isinstance(self.enrollment_id, Unset):
            enrollment_id = UNSET
        elif isinstance(self.enrollment_id, UUID):
            enrollment_id = str(self.enrollment_id)
        else:
            enrollment_id = self.enrollment_id

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        reason_code: None | str | Unset
        if isinstance(self.reason_code, Unset):
            reason_code = UNSET
        else:
            reason_code = self.reason_code

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "to": to,
            }
        )
        if enrollment_id is not UNSET:
            field_dict["enrollment_id"] = enrollment_id
        if note is not UNSET:
            field_dict["note"] = note
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        to = ReferralTarget(d.pop("to"))

        def _parse_enrollment_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                enrollment_id_type_0 = UUID(data)

                return enrollment_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        enrollment_id = _parse_enrollment_id(d.pop("enrollment_id", UNSET))

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        def _parse_reason_code(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason_code = _parse_reason_code(d.pop("reason_code", UNSET))

        transition_request = cls(
            to=to,
            enrollment_id=enrollment_id,
            note=note,
            reason_code=reason_code,
        )

        return transition_request
