from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.reason_use import ReasonUse

T = TypeVar("T", bound="ReferralReason")


@_attrs_define
class ReferralReason:
    """A reason a referral, a decline, a withdrawal or a release may cite.

    Attributes:
        applies_to (ReasonUse): What a referral reason may be cited for.
        code (str):  Example: KUOTA_PENUH.
        name_en (str):  Example: The program's quota is full.
        name_id (str):  Example: Kuota program penuh.
    """

    applies_to: ReasonUse
    code: str
    name_en: str
    name_id: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        applies_to = self.applies_to.value

        code = self.code

        name_en = self.name_en

        name_id = self.name_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "applies_to": applies_to,
                "code": code,
                "name_en": name_en,
                "name_id": name_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        applies_to = ReasonUse(d.pop("applies_to"))

        code = d.pop("code")

        name_en = d.pop("name_en")

        name_id = d.pop("name_id")

        referral_reason = cls(
            applies_to=applies_to,
            code=code,
            name_en=name_en,
            name_id=name_id,
        )

        referral_reason.additional_properties = d
        return referral_reason

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
