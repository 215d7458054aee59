from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.stats_group_by import StatsGroupBy
from ..models.stats_table_name import StatsTableName

if TYPE_CHECKING:
    from ..models.stats_column import StatsColumn
    from ..models.stats_row import StatsRow
    from ..models.stats_totals import StatsTotals


T = TypeVar("T", bound="StatsTable")


@_attrs_define
class StatsTable:
    """A table of counts with its margins; small counts withheld (see the README's
    "Aggregate statistics").

        Attributes:
            as_of (datetime.date): The day the table was computed: recent months can still change.
            by (StatsGroupBy): What a table's rows are.
            columns (list[StatsColumn]): The columns, in the order of every row's `cells`.
            rows (list[StatsRow]): One row per month, program, agency or region with at least one unit, by `key`.
            table (StatsTableName): What a table counts.
            threshold (int): Counts from 1 to `threshold - 1` are withheld. Example: 5.
            totals (StatsTotals):
            unit (str): What one count counts. Example: graduations.
    """

    as_of: datetime.date
    by: StatsGroupBy
    columns: list[StatsColumn]
    rows: list[StatsRow]
    table: StatsTableName
    threshold: int
    totals: StatsTotals
    unit: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        as_of = self.as_of.isoformat()

        by = self.by.value

        columns = []
        for columns_item_data in self.columns:
            columns_item = columns_item_data.to_dict()
            columns.append(columns_item)

        rows = []
        for rows_item_data in self.rows:
            rows_item = rows_item_data.to_dict()
            rows.append(rows_item)

        table = self.table.value

        threshold = self.threshold

        totals = self.totals.to_dict()

        unit = self.unit

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "as_of": as_of,
                "by": by,
                "columns": columns,
                "rows": rows,
                "table": table,
                "threshold": threshold,
                "totals": totals,
                "unit": unit,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.stats_column import StatsColumn
        from ..models.stats_row import StatsRow
        from ..models.stats_totals import StatsTotals

        d = dict(src_dict)
        as_of = datetime.date.fromisoformat(d.pop("as_of"))

        by = StatsGroupBy(d.pop("by"))

        columns = []
        _columns = d.pop("columns")
        for columns_item_data in _columns:
            columns_item = StatsColumn.from_dict(columns_item_data)

            columns.append(columns_item)

        rows = []
        _rows = d.pop("rows")
        for rows_item_data in _rows:
            rows_item = StatsRow.from_dict(rows_item_data)

            rows.append(rows_item)

        table = StatsTableName(d.pop("table"))

        threshold = d.pop("threshold")

        totals = StatsTotals.from_dict(d.pop("totals"))

        unit = d.pop("unit")

        stats_table = cls(
            as_of=as_of,
            by=by,
            columns=columns,
            rows=rows,
            table=table,
            threshold=threshold,
            totals=totals,
            unit=unit,
        )

        stats_table.additional_properties = d
        return stats_table

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
