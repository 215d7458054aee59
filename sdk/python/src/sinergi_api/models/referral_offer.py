from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.offer_state import OfferState
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReferralOffer")


@_attrs_define
class ReferralOffer:
    """One agency a referral is offered to, and its answer.

    Attributes:
        agency (str):  Example: KEMENDES.
        state (OfferState): Where one agency's offer stands.
        answered_at (datetime.datetime | Unset):
        offered_at (datetime.datetime | Unset):
        reason_code (str | Unset): The reason of a decline or release.
        target_program (str | Unset):  Example: PKTD.
    """

    agency: str
    state: OfferState
    answered_at: datetime.datetime | Unset = UNSET
    offered_at: datetime.datetime | Unset = UNSET
    reason_code: str | Unset = UNSET
    target_program: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agency = self.agency

        state = self.state.value

        answered_at: str | Unset = UNSET
        if not isinstance(self.answered_at, Unset):
            answered_at = self.answered_at.isoformat()

        offered_at: str | Unset = UNSET
        if not isinstance(self.offered_at, Unset):
            offered_at = self.offered_at.isoformat()

        reason_code = self.reason_code

        target_program = self.target_program

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agency": agency,
                "state": state,
            }
        )
        if answered_at is not UNSET:
            field_dict["answered_at"] = answered_at
        if offered_at is not UNSET:
            field_dict["offered_at"] = offered_at
        if reason_code is not UNSET:
            field_dict["reason_code"] = reason_code
        if target_program is not UNSET:
            field_dict["target_program"] = target_program

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agency = d.pop("agency")

        state = OfferState(d.pop("state"))

        _answered_at = d.pop("answered_at", UNSET)
        answered_at: datetime.datetime | Unset
        if isinstance(_answered_at, Unset):
            answered_at = UNSET
        else:
            answered_at = datetime.datetime.fromisoformat(_answered_at)

        _offered_at = d.pop("offered_at", UNSET)
        offered_at: datetime.datetime | Unset
        if isinstance(_offered_at, Unset):
            offered_at = UNSET
        else:
            offered_at = datetime.datetime.fromisoformat(_offered_at)

        reason_code = d.pop("reason_code", UNSET)

        target_program = d.pop("target_program", UNSET)

        referral_offer = cls(
            agency=agency,
            state=state,
            answered_at=answered_at,
            offered_at=offered_at,
            reason_code=reason_code,
            target_program=target_program,
        )

        referral_offer.additional_properties = d
        return referral_offer

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
