from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define

T = TypeVar("T", bound="AgreementRef")


@_attrs_define
class AgreementRef:
    """One version of one data-sharing agreement.

    Attributes:
        id (str):
        version (int):
    """

    id: str
    version: int

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "id": id,
                "version": version,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        version = d.pop("version")

        agreement_ref = cls(
            id=id,
            version=version,
        )

        return agreement_ref
