from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.household_event import HouseholdEvent
    from ..models.related_kk import RelatedKk


T = TypeVar("T", bound="Lineage")


@_attrs_define
class Lineage:
    """Where a family card came from and what it became.

    Attributes:
        ancestors (list[RelatedKk]): The cards this one came from (through splits, merges, member moves, renumbering),
            nearest first.
        descendants (list[RelatedKk]): The cards this one led to, nearest first.
        events (list[HouseholdEvent]): Every event that links the cards above, oldest recorded first.
        has_conflicts (bool): Whether any of `events` conflict with each other.
        kk (str): Nomor Kartu Keluarga (family card number): 16 digits, the first two a province code, the last four not
            0000 Example: 3301010101090001.
        truncated (bool): Whether the walk stopped at its bound (64 cards each way, 500 events) before the
            whole lineage was seen.
    """

    ancestors: list[RelatedKk]
    descendants: list[RelatedKk]
    events: list[HouseholdEvent]
    has_conflicts: bool
    kk: str
    truncated: bool
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        ancestors = []
        for ancestors_item_data in self.ancestors:
            ancestors_item = ancestors_item_data.to_dict()
            ancestors.append(ancestors_item)

        descendants = []
        for descendants_item_data in self.descendants:
            descendants_item = descendants_item_data.to_dict()
            descendants.append(descendants_item)

        events = []
        for events_item_data in self.events:
            events_item = events_item_data.to_dict()
            events.append(events_item)

        has_conflicts = self.has_conflicts

        kk = self.kk

        truncated = self.truncated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "ancestors": ancestors,
                "descendants": descendants,
                "events": events,
                "has_conflicts": has_conflicts,
                "kk": kk,
                "truncated": truncated,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.household_event import HouseholdEvent
        from ..models.related_kk import RelatedKk

        d = dict(src_dict)
        ancestors = []
        _ancestors = d.pop("ancestors")
        for ancestors_item_data in _ancestors:
            ancestors_item = RelatedKk.from_dict(ancestors_item_data)

            ancestors.append(ancestors_item)

        descendants = []
        _descendants = d.pop("descendants")
        for descendants_item_data in _descendants:
            descendants_item = RelatedKk.from_dict(descendants_item_data)

            descendants.append(descendants_item)

        events = []
        _events = d.pop("events")
        for events_item_data in _events:
            events_item = HouseholdEvent.from_dict(events_item_data)

            events.append(events_item)

        has_conflicts = d.pop("has_conflicts")

        kk = d.pop("kk")

        truncated = d.pop("truncated")

        lineage = cls(
            ancestors=ancestors,
            descendants=descendants,
            events=events,
            has_conflicts=has_conflicts,
            kk=kk,
            truncated=truncated,
        )

        lineage.additional_properties = d
        return lineage

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
