from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="Purpose")


@_attrs_define
class Purpose:
    """A purpose for which personal data may be processed (UU 27/2022): every read of another
    agency's records names one, and an agreement lists those it covers.

        Example:
            {'code': 'PEMBERDAYAAN_EKONOMI', 'description': 'Menjangkau keluarga yang lulus dari bantuan sosial untuk
                program pemberdayaan ekonomi.', 'name_en': 'Economic empowerment of graduated families', 'name_id':
                'Pemberdayaan ekonomi keluarga pascagraduasi'}

        Attributes:
            code (str): A purpose of processing, such as `PEMBERDAYAAN_EKONOMI`. Example: PEMBERDAYAAN_EKONOMI.
            description (str): What processing the purpose covers, for the parties' legal teams: free text over
                several lines, without other control characters than tabs and line breaks.
            name_en (str):
            name_id (str):
    """

    code: str
    description: str
    name_en: str
    name_id: str

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        description = self.description

        name_en = self.name_en

        name_id = self.name_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "code": code,
                "description": description,
                "name_en": name_en,
                "name_id": name_id,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        description = d.pop("description")

        name_en = d.pop("name_en")

        name_id = d.pop("name_id")

        purpose = cls(
            code=code,
            description=description,
            name_en=name_en,
            name_id=name_id,
        )

        return purpose
