from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..types import UNSET, Unset

T = TypeVar("T", bound="AgreementState")


@_attrs_define
class AgreementState:
    """An agreement after a change: its status and the version in force, with what reads are
    decided on (the parties, the purposes and the validity of that version).

        Attributes:
            consumer_agency (str):
            id (str):
            provider_agency (str):
            status (str): `proposed`, `active`, `suspended` or `terminated`.
            terms_sha256 (str): SHA-256, hex, of the canonical JSON of the latest version's terms (as `GET
                /v1/agreements/{id}/versions` shows them), so each version's text is bound to the log.
            purposes (list[str] | Unset): The purposes of the version in force.
            valid_from (None | str | Unset): The validity of the version in force, RFC 3339.
            valid_until (None | str | Unset):
            version (int | None | Unset): The version in force; absent until a version was approved.
    """

    consumer_agency: str
    id: str
    provider_agency: str
    status: str
    terms_sha256: str
    purposes: list[str] | Unset = UNSET
    valid_from: None | str | Unset = UNSET
    valid_until: None | str | Unset = UNSET
    version: int | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        consumer_agency = self.consumer_agency

        id = self.id

        provider_agency = self.provider_agency

        status = self.status

        terms_sha256 = self.terms_sha256

        purposes: list[str] | Unset = UNSET
        if not isinstance(self.purposes, Unset):
            purposes = self.purposes

        valid_from: None | str | Unset
        if isinstance(self.valid_from, Unset):
            valid_from = UNSET
        else:
            valid_from = self.valid_from

        valid_until: None | str | Unset
        if isinstance(self.valid_until, Unset):
            valid_until = UNSET
        else:
            valid_until = self.valid_until

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "consumer_agency": consumer_agency,
                "id": id,
                "provider_agency": provider_agency,
                "status": status,
                "terms_sha256": terms_sha256,
            }
        )
        if purposes is not UNSET:
            field_dict["purposes"] = purposes
        if valid_from is not UNSET:
            field_dict["valid_from"] = valid_from
        if valid_until is not UNSET:
            field_dict["valid_until"] = valid_until
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consumer_agency = d.pop("consumer_agency")

        id = d.pop("id")

        provider_agency = d.pop("provider_agency")

        status = d.pop("status")

        terms_sha256 = d.pop("terms_sha256")

        purposes = cast(list[str], d.pop("purposes", UNSET))

        def _parse_valid_from(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        valid_from = _parse_valid_from(d.pop("valid_from", UNSET))

        def _parse_valid_until(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        valid_until = _parse_valid_until(d.pop("valid_until", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        agreement_state = cls(
            consumer_agency=consumer_agency,
            id=id,
            provider_agency=provider_agency,
            status=status,
            terms_sha256=terms_sha256,
            purposes=purposes,
            valid_from=valid_from,
            valid_until=valid_until,
            version=version,
        )

        return agreement_state
