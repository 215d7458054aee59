from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.household_event_kind import HouseholdEventKind
from ..models.household_event_source import HouseholdEventSource
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.member_move import MemberMove


T = TypeVar("T", bound="NewHouseholdEvent")


@_attrs_define
class NewHouseholdEvent:
    """A household event as an agency sends it.

    Example:
        {'effective_on': '2026-08-17', 'kind': 'split', 'member_moves': [{'from_kk': '3201012308150007', 'nik':
            '3201014402990004', 'to_kk': '3201011709260003'}], 'predecessor_kks': ['3201012308150007'], 'source':
            'dukcapil', 'source_record_id': 'PECAH-KK-2026-0042', 'successor_kks': ['3201012308150007', '3201011709260003']}

    Attributes:
        effective_on (datetime.date): When it happened (not when it is recorded: the exchange keeps both). Example:
            2026-08-17.
        kind (HouseholdEventKind): What happened to the family cards.
        predecessor_kks (list[str]): The cards before: exactly one for `split`, `member_join`, `member_leave` and
            `renumber`, at least two for `merge`.
        source (HouseholdEventSource): Who established it.
        source_record_id (str): The publisher's own id for the record (1-128 characters, no control characters);
            publishing the same id again updates the record Example: PKH-2026-3201-000123.
        member_moves (list[MemberMove] | Unset): Who moved where; at least one for `member_join` and `member_leave`,
            none for
            `renumber`.
        note (None | str | Unset): For other agencies; no NIK or KK (those travel in the fields above).
        successor_kks (list[str] | Unset): The cards after: at least one for `split`, exactly one for `merge`,
            `member_join` and
            `renumber` (a new number), at most one for `member_leave`.
    """

    effective_on: datetime.date
    kind: HouseholdEventKind
    predecessor_kks: list[str]
    source: HouseholdEventSource
    source_record_id: str
    member_moves: list[MemberMove] | Unset = UNSET
    note: None | str | Unset = UNSET
    successor_kks: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        effective_on = self.effective_on.isoformat()

        kind = self.kind.value

        predecessor_kks = self.predecessor_kks

        source = self.source.value

        source_record_id = self.source_record_id

        member_moves: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.member_moves, Unset):
            member_moves = []
            for member_moves_item_data in self.member_moves:
                member_moves_item = member_moves_item_data.to_dict()
                member_moves.append(member_moves_item)

        note: None | str | Unset
        if isinstance(self.note, Unset):
            note = UNSET
        else:
            note = self.note

        successor_kks: list[str] | Unset = UNSET
        if not isinstance(self.successor_kks, Unset):
            successor_kks = self.successor_kks

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "effective_on": effective_on,
                "kind": kind,
                "predecessor_kks": predecessor_kks,
                "source": source,
                "source_record_id": source_record_id,
            }
        )
        if member_moves is not UNSET:
            field_dict["member_moves"] = member_moves
        if note is not UNSET:
            field_dict["note"] = note
        if successor_kks is not UNSET:
            field_dict["successor_kks"] = successor_kks

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.member_move import MemberMove

        d = dict(src_dict)
        effective_on = datetime.date.fromisoformat(d.pop("effective_on"))

        kind = HouseholdEventKind(d.pop("kind"))

        predecessor_kks = cast(list[str], d.pop("predecessor_kks"))

        source = HouseholdEventSource(d.pop("source"))

        source_record_id = d.pop("source_record_id")

        _member_moves = d.pop("member_moves", UNSET)
        member_moves: list[MemberMove] | Unset = UNSET
        if _member_moves is not UNSET:
            member_moves = []
            for member_moves_item_data in _member_moves:
                member_moves_item = MemberMove.from_dict(member_moves_item_data)

                member_moves.append(member_moves_item)

        def _parse_note(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        note = _parse_note(d.pop("note", UNSET))

        successor_kks = cast(list[str], d.pop("successor_kks", UNSET))

        new_household_event = cls(
            effective_on=effective_on,
            kind=kind,
            predecessor_kks=predecessor_kks,
            source=source,
            source_record_id=source_record_id,
            member_moves=member_moves,
            note=note,
            successor_kks=successor_kks,
        )

        return new_household_event
