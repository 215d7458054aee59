from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="OfferTo")


@_attrs_define
class OfferTo:
    """One agency a referral is offered to.

    Attributes:
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        target_program (None | str | Unset):
    """

    agency: str
    target_program: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        agency = self.agency

        target_program: None | str | Unset
        if isinstance(self.target_program, Unset):
            target_program = UNSET
        else:
            target_program = self.target_program

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agency": agency,
            }
        )
        if target_program is not UNSET:
            field_dict["target_program"] = target_program

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agency = d.pop("agency")

        def _parse_target_program(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        target_program = _parse_target_program(d.pop("target_program", UNSET))

        offer_to = cls(
            agency=agency,
            target_program=target_program,
        )

        return offer_to
