from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Household")


@_attrs_define
class Household:
    """The family: its card number (KK) and the NIK of its head.

    Example:
        {'head_nik': '3201011507850003', 'kk': '3201012308150007'}

    Attributes:
        head_nik (str): Nomor Induk Kependudukan: 16 digits PPKKCCDDMMYYSSSS (region, birth date with 40 added to the
            day for women, serial) Example: 3201015708900123.
        kk (str): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last four not
            0000 Example: 3301010101090001.
    """

    head_nik: str
    kk: str

    def to_dict(self) -> dict[str, Any]:
        head_nik = self.head_nik

        kk = self.kk

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "head_nik": head_nik,
                "kk": kk,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        head_nik = d.pop("head_nik")

        kk = d.pop("kk")

        household = cls(
            head_nik=head_nik,
            kk=kk,
        )

        return household
