from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralSubject")


@_attrs_define
class ReferralSubject:
    """The family a referral is about: the graduation's KK and head of family, each shown when
    the agreement between the graduation's publisher and the reader covers it
    (`/household/kk`, `/household/head_nik`); without the NIK, `subject_ref`, the reader's
    own pseudonym of it (as on records).

        Attributes:
            head_nik (str | Unset):  Example: 3201011507850003.
            kk (str | Unset):  Example: 3201012301150007.
            subject_ref (str | Unset):
    """

    head_nik: str | Unset = UNSET
    kk: str | Unset = UNSET
    subject_ref: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        head_nik = self.head_nik

        kk = self.kk

        subject_ref = self.subject_ref

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if head_nik is not UNSET:
            field_dict["head_nik"] = head_nik
        if kk is not UNSET:
            field_dict["kk"] = kk
        if subject_ref is not UNSET:
            field_dict["subject_ref"] = subject_ref

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        head_nik = d.pop("head_nik", UNSET)

        kk = d.pop("kk", UNSET)

        subject_ref = d.pop("subject_ref", UNSET)

        referral_subject = cls(
            head_nik=head_nik,
            kk=kk,
            subject_ref=subject_ref,
        )

        referral_subject.additional_properties = d
        return referral_subject

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
