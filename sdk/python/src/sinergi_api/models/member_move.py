from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="MemberMove")


@_attrs_define
class MemberMove:
    """A member moving from one card to another.

    Attributes:
        from_kk (str): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last
            four not 0000 Example: 3301010101090001.
        nik (str): Nomor Induk Kependudukan: 16 digits PPKKCCDDMMYYSSSS (region, birth date with 40 added to the day for
            women, serial) Example: 3201015708900123.
        to_kk (None | str | Unset):
    """

    from_kk: str
    nik: str
    to_kk: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from_kk = self.from_kk

        nik = self.nik

        to_kk: None | str | Unset
        if isinstance(self.to_kk, Unset):
            to_kk = UNSET
        else:
            to_kk = self.to_kk

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "from_kk": from_kk,
                "nik": nik,
            }
        )
        if to_kk is not UNSET:
            field_dict["to_kk"] = to_kk

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        from_kk = d.pop("from_kk")

        nik = d.pop("nik")

        def _parse_to_kk(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        to_kk = _parse_to_kk(d.pop("to_kk", UNSET))

        member_move = cls(
            from_kk=from_kk,
            nik=nik,
            to_kk=to_kk,
        )

        return member_move
