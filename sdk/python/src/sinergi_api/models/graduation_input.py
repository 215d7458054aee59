from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.graduation_type import GraduationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attributes import Attributes
    from ..models.household import Household


T = TypeVar("T", bound="GraduationInput")


@_attrs_define
class GraduationInput:
    """What a publisher sends for a graduation (publikasi graduasi). The publisher, id, version
    and timestamps are set by the exchange.

        Example:
            {'attributes': {'pendamping': 'PD-3201-17'}, 'graduated_on': '2026-06-30', 'graduation_type': 'natural',
                'household': {'head_nik': '3201011507850003', 'kk': '3201012308150007'}, 'member_niks': ['3201015508870002'],
                'program': 'PKH', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12 bulan', 'region_code':
                '32.01.01.1002', 'source_record_id': 'PKH-2026-3201-000123', 'welfare_decile': 6}

        Attributes:
            graduated_on (datetime.date): A calendar date, YYYY-MM-DD
            graduation_type (GraduationType): How the family left the program.
            household (Household): The family: its card number (KK) and the NIK of its head. Example: {'head_nik':
                '3201011507850003', 'kk': '3201012308150007'}.
            program (str): A program's code, such as `PKH`. Example: PKH.
            region_code (str): Kemendagri village code PP.KK.CC.DDDD from the shipped region table; accepted with or without
                dots, always returned with dots Example: 33.01.01.2001.
            source_record_id (str): The publisher's own id for the record (1-128 characters, no control characters);
                publishing the same id again updates the record Example: PKH-2026-3201-000123.
            attributes (Attributes | None | Unset):
            member_niks (list[str] | Unset): NIKs of the other family members (at most 30, no repeats).
            reason (None | str | Unset):
            welfare_decile (int | None | Unset):
    """

    graduated_on: datetime.date
    graduation_type: GraduationType
    household: Household
    program: str
    region_code: str
    source_record_id: str
    attributes: Attributes | None | Unset = UNSET
    member_niks: list[str] | Unset = UNSET
    reason: None | str | Unset = UNSET
    welfare_decile: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.attributes import Attributes

        graduated_on = self.graduated_on.isoformat()

        graduation_type = self.graduation_type.value

        household = self.household.to_dict()

        program = self.program

        region_code = self.region_code

        source_record_id = self.source_record_id

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, Attributes):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        member_niks: list[str] | Unset = UNSET
        if not isinstance(self.member_niks, Unset):
            member_niks = self.member_niks

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        welfare_decile: int | None | Unset
        if isinstance(self.welfare_decile, Unset):
            welfare_decile = UNSET
        else:
            welfare_decile = self.welfare_decile

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "graduated_on": graduated_on,
                "graduation_type": graduation_type,
                "household": household,
                "program": program,
                "region_code": region_code,
                "source_record_id": source_record_id,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if member_niks is not UNSET:
            field_dict["member_niks"] = member_niks
        if reason is not UNSET:
            field_dict["reason"] = reason
        if welfare_decile is not UNSET:
            field_dict["welfare_decile"] = welfare_decile

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attributes import Attributes
        from ..models.household import Household

        d = dict(src_dict)
        graduated_on = datetime.date.fromisoformat(d.pop("graduated_on"))

        graduation_type = GraduationType(d.pop("graduation_type"))

        household = Household.from_dict(d.pop("household"))

        program = d.pop("program")

        region_code = d.pop("region_code")

        source_record_id = d.pop("source_record_id")

        def _parse_attributes(data: object) -> Attributes | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = Attributes.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Attributes | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        member_niks = cast(list[str], d.pop("member_niks", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_welfare_decile(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        welfare_decile = _parse_welfare_decile(d.pop("welfare_decile", UNSET))

        graduation_input = cls(
            graduated_on=graduated_on,
            graduation_type=graduation_type,
            household=household,
            program=program,
            region_code=region_code,
            source_record_id=source_record_id,
            attributes=attributes,
            member_niks=member_niks,
            reason=reason,
            welfare_decile=welfare_decile,
        )

        return graduation_input
