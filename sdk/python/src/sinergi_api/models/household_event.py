from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.household_event_kind import HouseholdEventKind
from ..models.household_event_source import HouseholdEventSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.household_member_move import HouseholdMemberMove


T = TypeVar("T", bound="HouseholdEvent")


@_attrs_define
class HouseholdEvent:
    """A household event as recorded.

    Attributes:
        conflicts_with (list[UUID]): Events of other agencies that tell this change differently (the same card's change
            on the same day, or the same member moved elsewhere). Both are kept; which is right
            is for the agencies (and Dukcapil) to settle. Empty when none does.
        effective_on (datetime.date): When it happened. Example: 2026-08-17.
        id (UUID):
        kind (HouseholdEventKind): What happened to the family cards.
        member_moves (list[HouseholdMemberMove]):
        predecessor_kks (list[str]):
        recorded_at (datetime.datetime): When the exchange learnt it.
        recorded_by (str): The agency that recorded it. Example: KEMENSOS.
        source (HouseholdEventSource): Who established it.
        source_record_id (str):  Example: PECAH-KK-2026-0042.
        successor_kks (list[str]):
        note (str | Unset):
    """

    conflicts_with: list[UUID]
    effective_on: datetime.date
    id: UUID
    kind: HouseholdEventKind
    member_moves: list[HouseholdMemberMove]
    predecessor_kks: list[str]
    recorded_at: datetime.datetime
    recorded_by: str
    source: HouseholdEventSource
    source_record_id: str
    successor_kks: list[str]
    note: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        conflicts_with = []
        for conflicts_with_item_data in self.conflicts_with:
            conflicts_with_item = str(conflicts_with_item_data)
            conflicts_with.append(conflicts_with_item)

        effective_on = self.effective_on.isoformat()

        id = str(self.id)

        kind = self.kind.value

        member_moves = []
        for member_moves_item_data in self.member_moves:
            member_moves_item = member_moves_item_data.to_dict()
            member_moves.append(member_moves_item)

        predecessor_kks = self.predecessor_kks

        recorded_at = self.recorded_at.isoformat()

        recorded_by = self.recorded_by

        source = self.source.value

        source_record_id = self.source_record_id

        successor_kks = self.successor_kks

        note = self.note

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "conflicts_with": conflicts_with,
                "effective_on": effective_on,
                "id": id,
                "kind": kind,
                "member_moves": member_moves,
                "predecessor_kks": predecessor_kks,
                "recorded_at": recorded_at,
                "recorded_by": recorded_by,
                "source": source,
                "source_record_id": source_record_id,
                "successor_kks": successor_kks,
            }
        )
        if note is not UNSET:
            field_dict["note"] = note

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.household_member_move import HouseholdMemberMove

        d = dict(src_dict)
        conflicts_with = []
        _conflicts_with = d.pop("conflicts_with")
        for conflicts_with_item_data in _conflicts_with:
            conflicts_with_item = UUID(conflicts_with_item_data)

            conflicts_with.append(conflicts_with_item)

        effective_on = datetime.date.fromisoformat(d.pop("effective_on"))

        id = UUID(d.pop("id"))

        kind = HouseholdEventKind(d.pop("kind"))

        member_moves = []
        _member_moves = d.pop("member_moves")
        for member_moves_item_data in _member_moves:
            member_moves_item = HouseholdMemberMove.from_dict(member_moves_item_data)

            member_moves.append(member_moves_item)

        predecessor_kks = cast(list[str], d.pop("predecessor_kks"))

        recorded_at = datetime.datetime.fromisoformat(d.pop("recorded_at"))

        recorded_by = d.pop("recorded_by")

        source = HouseholdEventSource(d.pop("source"))

        source_record_id = d.pop("source_record_id")

        successor_kks = cast(list[str], d.pop("successor_kks"))

        note = d.pop("note", UNSET)

        household_event = cls(
            conflicts_with=conflicts_with,
            effective_on=effective_on,
            id=id,
            kind=kind,
            member_moves=member_moves,
            predecessor_kks=predecessor_kks,
            recorded_at=recorded_at,
            recorded_by=recorded_by,
            source=source,
            source_record_id=source_record_id,
            successor_kks=successor_kks,
            note=note,
        )

        household_event.additional_properties = d
        return household_event

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
