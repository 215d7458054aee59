from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="HouseholdMemberMove")


@_attrs_define
class HouseholdMemberMove:
    """A member's move as a reader sees it: the NIK only to the agency that recorded the event;
    to any other, the reader's own pseudonym of it (as `subject_ref` on records).

        Attributes:
            from_kk (str): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last
                four not 0000 Example: 3301010101090001.
            nik (str | Unset):
            subject_ref (str | Unset): A keyed hash of the NIK specific to the reader's agency, in place of `nik`.
            to_kk (str | Unset): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the
                last four not 0000 Example: 3301010101090001.
    """

    from_kk: str
    nik: str | Unset = UNSET
    subject_ref: str | Unset = UNSET
    to_kk: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from_kk = self.from_kk

        nik = self.nik

        subject_ref = self.subject_ref

        to_kk = self.to_kk

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "from_kk": from_kk,
            }
        )
        if nik is not UNSET:
            field_dict["nik"] = nik
        if subject_ref is not UNSET:
            field_dict["subject_ref"] = subject_ref
        if to_kk is not UNSET:
            field_dict["to_kk"] = to_kk

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_kk = d.pop("from_kk")

        nik = d.pop("nik", UNSET)

        subject_ref = d.pop("subject_ref", UNSET)

        to_kk = d.pop("to_kk", UNSET)

        household_member_move = cls(
            from_kk=from_kk,
            nik=nik,
            subject_ref=subject_ref,
            to_kk=to_kk,
        )

        household_member_move.additional_properties = d
        return household_member_move

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
