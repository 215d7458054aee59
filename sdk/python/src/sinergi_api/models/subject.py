from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="Subject")


@_attrs_define
class Subject:
    """Who was enrolled: a person (NIK), a family (KK), or both; at least one.

    Example:
        {'kk': '3201012308150007', 'nik': '3201011507850003'}

    Attributes:
        kk (str | Unset): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last
            four not 0000 Example: 3301010101090001.
        nik (str | Unset): Nomor Induk Kependudukan: 16 digits PPKKCCDDMMYYSSSS (region, birth date with 40 added to the
            day for women, serial) Example: 3201015708900123.
    """

    kk: str | Unset = UNSET
    nik: str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        kk = self.kk

        nik = self.nik

        field_dict: dict[str, Any] = {}

        field_dict.update({})
        if kk is not UNSET:
            field_dict["kk"] = kk
        if nik is not UNSET:
            field_dict["nik"] = nik

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        kk = d.pop("kk", UNSET)

        nik = d.pop("nik", UNSET)

        subject = cls(
            kk=kk,
            nik=nik,
        )

        return subject
