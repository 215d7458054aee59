from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.program_kind import ProgramKind

T = TypeVar("T", bound="Program")


@_attrs_define
class Program:
    """A program run by one agency.

    Example:
        {'active': True, 'agency': 'KEMENSOS', 'code': 'PKH', 'kind': 'social_assistance', 'name': 'Program Keluarga
            Harapan'}

    Attributes:
        active (bool): Whether records may still be published for this program.
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        code (str): A program's code, such as `PKH`. Example: PKH.
        kind (ProgramKind): Whether a program gives social assistance (bansos) or empowers its participants.
        name (str):
    """

    active: bool
    agency: str
    code: str
    kind: ProgramKind
    name: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        active = self.active

        agency = self.agency

        code = self.code

        kind = self.kind.value

        name = self.name

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "active": active,
                "agency": agency,
                "code": code,
                "kind": kind,
                "name": name,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        active = d.pop("active")

        agency = d.pop("agency")

        code = d.pop("code")

        kind = ProgramKind(d.pop("kind"))

        name = d.pop("name")

        program = cls(
            active=active,
            agency=agency,
            code=code,
            kind=kind,
            name=name,
        )

        program.additional_properties = d
        return program

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
