from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Excluded")


@_attrs_define
class Excluded:
    """A publisher whose records a search left out, and why.

    Attributes:
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        reason (str): `purpose-missing` (`Sinergi-Purpose` declared no purpose code), or a refusal's code:
            `no-agreement`, `purpose-not-covered`, `search-key-not-covered`, `agreement-expired`.
    """

    agency: str
    reason: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agency = self.agency

        reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agency": agency,
                "reason": reason,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agency = d.pop("agency")

        reason = d.pop("reason")

        excluded = cls(
            agency=agency,
            reason=reason,
        )

        excluded.additional_properties = d
        return excluded

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
