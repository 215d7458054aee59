from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.change_type import ChangeType
from ..models.state import State
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.excluded import Excluded


T = TypeVar("T", bound="CreatedSubscription")


@_attrs_define
class CreatedSubscription:
    """A new subscription, with its signing secret.

    Attributes:
        agency (str): The owning agency: only its clients see and change the subscription. Example: KEMENDES.
        attempts (int): Failed attempts to deliver the next change.
        created_at (datetime.datetime):
        created_by (str): The client deliveries are made for, and recorded in the audit log under: the one
            that created it, or the one that took it over after that client was disabled.
        excluded_publishers (list[Excluded]): Other agencies (of those named, when `publishers` names some) whose
            changes are not
            delivered now, and why: `purpose-missing`, or a refusal's code (`no-agreement`,
            `purpose-not-covered`, `agreement-expired`).
        id (UUID):
        position (int): The last change acknowledged (or passed over as not matching); deliveries continue
            with the next matching change after it.
        programs (list[str]): Empty: every program.
        publishers (list[str]): Empty: the agency's own changes and those of every agency an agreement in force
            covers for `purpose` at the time (the others' are passed over, never delivered later).
            Named: exactly these, and delivery waits (`not_covered`) while one is not covered.
        state (State): `active`: delivering. `failing`: one change failed for the whole retry schedule (at
            least 24 hours) and delivery is paused until `enable` or `replay`. `suspended`: the
            client it is delivered for (`created_by`) is disabled, so nothing is delivered until
            another client of the agency takes it over with `enable` or `replay`. `not_covered`: a
            publisher it names is not covered now by an agreement in force for its `purpose` (the
            agreement was suspended or terminated, or has expired; `excluded_publishers` says
            which): nothing is delivered until one is again, when delivery resumes after `position`
            with nothing skipped. `enable` and `replay` do not change this.
        types (list[ChangeType]):
        url (str):
        secret (str): The Standard Webhooks signing secret (`whsec_` and base64 of 32 bytes), shown only in
            this response: keep it to verify `webhook-signature`. Example: whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD.
        next_attempt_at (datetime.datetime | None | Unset): While a change is being retried: when its next attempt is
            due.
        purpose (None | str | Unset): The purpose the deliveries serve; null: only the agency's own changes. Example:
            PEMBERDAYAAN_EKONOMI.
    """

    agency: str
    attempts: int
    created_at: datetime.datetime
    created_by: str
    excluded_publishers: list[Excluded]
    id: UUID
    position: int
    programs: list[str]
    publishers: list[str]
    state: State
    types: list[ChangeType]
    url: str
    secret: str
    next_attempt_at: datetime.datetime | None | Unset = UNSET
    purpose: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agency = self.agency

        attempts = self.attempts

        created_at = self.created_at.isoformat()

        created_by = self.created_by

        excluded_publishers = []
        for excluded_publishers_item_data in self.excluded_publishers:
            excluded_publishers_item = excluded_publishers_item_data.to_dict()
            excluded_publishers.append(excluded_publishers_item)

        id = str(self.id)

        position = self.position

        programs = self.programs

        publishers = self.publishers

        state = self.state.value

        types = []
        for types_item_data in self.types:
            types_item = types_item_data.value
            types.append(types_item)

        url = self.url

        secret = self.secret

        next_attempt_at: None | str | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        elif isinstance(self.next_attempt_at, datetime.datetime):
            next_attempt_at = self.next_attempt_at.isoformat()
        else:
            next_attempt_at = self.next_attempt_at

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agency": agency,
                "attempts": attempts,
                "created_at": created_at,
                "created_by": created_by,
                "excluded_publishers": excluded_publishers,
                "id": id,
                "position": position,
                "programs": programs,
                "publishers": publishers,
                "state": state,
                "types": types,
                "url": url,
                "secret": secret,
            }
        )
        if next_attempt_at is not UNSET:
            field_dict["next_attempt_at"] = next_attempt_at
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.excluded import Excluded

        d = dict(src_dict)
        agency = d.pop("agency")

        attempts = d.pop("attempts")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        created_by = d.pop("created_by")

        excluded_publishers = []
        _excluded_publishers = d.pop("excluded_publishers")
        for excluded_publishers_item_data in _excluded_publishers:
            excluded_publishers_item = Excluded.from_dict(excluded_publishers_item_data)

            excluded_publishers.append(excluded_publishers_item)

        id = UUID(d.pop("id"))

        position = d.pop("position")

        programs = cast(list[str], d.pop("programs"))

        publishers = cast(list[str], d.pop("publishers"))

        state = State(d.pop("state"))

        types = []
        _types = d.pop("types")
        for types_item_data in _types:
            types_item = ChangeType(types_item_data)

            types.append(types_item)

        url = d.pop("url")

        secret = d.pop("secret")

        def _parse_next_attempt_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                next_attempt_at_type_0 = datetime.datetime.fromisoformat(data)

                return next_attempt_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("next_attempt_at", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        created_subscription = cls(
            agency=agency,
            attempts=attempts,
            created_at=created_at,
            created_by=created_by,
            excluded_publishers=excluded_publishers,
            id=id,
            position=position,
            programs=programs,
            publishers=publishers,
            state=state,
            types=types,
            url=url,
            secret=secret,
            next_attempt_at=next_attempt_at,
            purpose=purpose,
        )

        created_subscription.additional_properties = d
        return created_subscription

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
