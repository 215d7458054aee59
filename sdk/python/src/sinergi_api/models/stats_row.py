from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.stats_cell import StatsCell
    from ..models.stats_conversion import StatsConversion


T = TypeVar("T", bound="StatsRow")


@_attrs_define
class StatsRow:
    """
    Attributes:
        cells (list[StatsCell]):
        key (str): `YYYY-MM`, a program or agency code, or a dotted province or regency code. Example: 32.
        name (str): The program's, agency's or region's name (for a month, the key). Example: Jawa Barat.
        total (StatsCell): One count: published (`count`), or withheld (`count` null, `suppressed` says why).
        conversion (None | StatsConversion | Unset):
    """

    cells: list[StatsCell]
    key: str
    name: str
    total: StatsCell
    conversion: None | StatsConversion | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.stats_conversion import StatsConversion

        cells = []
        for cells_item_data in self.cells:
            cells_item = cells_item_data.to_dict()
            cells.append(cells_item)

        key = self.key

        name = self.name

        total = self.total.to_dict()

        conversion: dict[str, Any] | None | Unset
        if isinstance(self.conversion, Unset):
            conversion = UNSET
        elif isinstance(self.conversion, StatsConversion):
            conversion = self.conversion.to_dict()
        else:
            conversion = self.conversion

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "cells": cells,
                "key": key,
                "name": name,
                "total": total,
            }
        )
        if conversion is not UNSET:
            field_dict["conversion"] = conversion

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.stats_cell import StatsCell
        from ..models.stats_conversion import StatsConversion

        d = dict(src_dict)
        cells = []
        _cells = d.pop("cells")
        for cells_item_data in _cells:
            cells_item = StatsCell.from_dict(cells_item_data)

            cells.append(cells_item)

        key = d.pop("key")

        name = d.pop("name")

        total = StatsCell.from_dict(d.pop("total"))

        def _parse_conversion(data: object) -> None | StatsConversion | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                conversion_type_0 = StatsConversion.from_dict(data)

                return conversion_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | StatsConversion | Unset, data)

        conversion = _parse_conversion(d.pop("conversion", UNSET))

        stats_row = cls(
            cells=cells,
            key=key,
            name=name,
            total=total,
            conversion=conversion,
        )

        stats_row.additional_properties = d
        return stats_row

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
