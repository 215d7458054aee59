from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.change_type import ChangeType
from ..types import UNSET, Unset

T = TypeVar("T", bound="NewSubscription")


@_attrs_define
class NewSubscription:
    """A subscription to create.

    Example:
        {'after': 4200, 'programs': ['PKTD'], 'types': ['enrollment'], 'url':
            'https://siks.kemensos.go.id/sinergi/webhooks'}

    Attributes:
        types (list[ChangeType]): The change types to deliver: `graduation`, `enrollment` (the token must hold each
            one's read scope), `agreement` (the steps of the agreements the agency is party
            to; needs `agreements:read`), `referral` (the steps of the referrals it made, was
            offered or whose family it graduated; needs `referrals:read`) and `follow_up` (the
            follow-up signals of the graduations it published, raised and closed; needs
            `referrals:read`).
        url (str): Where deliveries are POSTed: `https`, without user name or password, at a host that
            resolves only to public addresses (plain `http` and internal addresses only for hosts
            the operator allows). Example: https://siks.kemensos.go.id/sinergi/webhooks.
        after (int | None | Unset): Deliver the changes after this feed position (default: the feed's head now, so only
            changes from now on).
        programs (list[str] | None | Unset): Only changes of these programs (default: every program).
        publishers (list[str] | None | Unset): Only changes published by these agencies (default: every agency).
        purpose (None | str | Unset): The purpose the deliveries serve (a code of `GET /v1/purposes`): another agency's
            changes are delivered only under a data-sharing agreement in force for it, each
            record with the agreement's fields. Required when `publishers` names another agency;
            without it only the agency's own changes are delivered. Example: PEMBERDAYAAN_EKONOMI.
    """

    types: list[ChangeType]
    url: str
    after: int | None | Unset = UNSET
    programs: list[str] | None | Unset = UNSET
    publishers: list[str] | None | Unset = UNSET
    purpose: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        types = []
        for types_item_data in self.types:
            types_item = types_item_data.value
            types.append(types_item)

        url = self.url

        after: int | None | Unset
        if isinstance(self.after, Unset):
            after = UNSET
        else:
            after = self.after

        programs: list[str] | None | Unset
        if isinstance(self.programs, Unset):
            programs = UNSET
        elif isinstance(self.programs, list):
            programs = self.programs

        else:
            programs = self.programs

        publishers: list[str] | None | Unset
        if isinstance(self.publishers, Unset):
            publishers = UNSET
        elif isinstance(self.publishers, list):
            publishers = self.publishers

        else:
            publishers = self.publishers

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "types": types,
                "url": url,
            }
        )
        if after is not UNSET:
            field_dict["after"] = after
        if programs is not UNSET:
            field_dict["programs"] = programs
        if publishers is not UNSET:
            field_dict["publishers"] = publishers
        if purpose is not UNSET:
            field_dict["purpose"] = purpose

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        types = []
        _types = d.pop("types")
        for types_item_data in _types:
            types_item = ChangeType(types_item_data)

            types.append(types_item)

        url = d.pop("url")

        def _parse_after(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        after = _parse_after(d.pop("after", UNSET))

        def _parse_programs(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                programs_type_0 = cast(list[str], data)

                return programs_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        programs = _parse_programs(d.pop("programs", UNSET))

        def _parse_publishers(data: object) -> list[str] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                publishers_type_0 = cast(list[str], data)

                return publishers_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[str] | None | Unset, data)

        publishers = _parse_publishers(d.pop("publishers", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        new_subscription = cls(
            types=types,
            url=url,
            after=after,
            programs=programs,
            publishers=publishers,
            purpose=purpose,
        )

        return new_subscription
