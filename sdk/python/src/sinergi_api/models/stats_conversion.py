from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="StatsConversion")


@_attrs_define
class StatsConversion:
    """How a line's graduations were picked up. Shares are of the line's graduations, from 0
    to 1; each is null where a count it needs is withheld, or while a graduation of the line
    is younger than the window (it may still enroll).

        Attributes:
            median_days_to_enroll (float | None | Unset): Median days from `graduated_on` to the first enrollment, over the
                graduations that
                enrolled; null where an enrollment count is withheld or fewer than `threshold`
                enrolled. Example: 41.5.
            within_180_days (float | None | Unset):
            within_30_days (float | None | Unset):  Example: 0.42.
            within_90_days (float | None | Unset):
    """

    median_days_to_enroll: float | None | Unset = UNSET
    within_180_days: float | None | Unset = UNSET
    within_30_days: float | None | Unset = UNSET
    within_90_days: float | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        median_days_to_enroll: float | None | Unset
        if isinstance(self.median_days_to_enroll, Unset):
            median_days_to_enroll = UNSET
        else:
            median_days_to_enroll = self.median_days_to_enroll

        within_180_days: float | None | Unset
        if isinstance(self.within_180_days, Unset):
            within_180_days = UNSET
        else:
            within_180_days = self.within_180_days

        within_30_days: float | None | Unset
        if isinstance(self.within_30_days, Unset):
            within_30_days = UNSET
        else:
            within_30_days = self.within_30_days

        within_90_days: float | None | Unset
        if isinstance(self.within_90_days, Unset):
            within_90_days = UNSET
        else:
            within_90_days = self.within_90_days

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if median_days_to_enroll is not UNSET:
            field_dict["median_days_to_enroll"] = median_days_to_enroll
        if within_180_days is not UNSET:
            field_dict["within_180_days"] = within_180_days
        if within_30_days is not UNSET:
            field_dict["within_30_days"] = within_30_days
        if within_90_days is not UNSET:
            field_dict["within_90_days"] = within_90_days

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)

        def _parse_median_days_to_enroll(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        median_days_to_enroll = _parse_median_days_to_enroll(
            d.pop("median_days_to_enroll", UNSET)
        )

        def _parse_within_180_days(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        within_180_days = _parse_within_180_days(d.pop("within_180_days", UNSET))

        def _parse_within_30_days(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        within_30_days = _parse_within_30_days(d.pop("within_30_days", UNSET))

        def _parse_within_90_days(data: object) -> float | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(float | None | Unset, data)

        within_90_days = _parse_within_90_days(d.pop("within_90_days", UNSET))

        stats_conversion = cls(
            median_days_to_enroll=median_days_to_enroll,
            within_180_days=within_180_days,
            within_30_days=within_30_days,
            within_90_days=within_90_days,
        )

        stats_conversion.additional_properties = d
        return stats_conversion

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
