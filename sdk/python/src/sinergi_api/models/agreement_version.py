from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.lawful_basis import LawfulBasis
from ..models.record_kind import RecordKind
from ..models.search_key import SearchKey
from ..models.version_state import VersionState
from ..types import UNSET, Unset

T = TypeVar("T", bound="AgreementVersion")


@_attrs_define
class AgreementVersion:
    """One version of an agreement's terms, as proposed.

    Attributes:
        fields (list[str]): The record fields the consumer receives, as JSON pointers into the shared schema
            (`/household/kk`, `/region_code`; `/household` covers all of it). Metadata, the
            publisher's id and the program are always shown. Without the subject's NIK field
            the record carries a `subject_ref` instead.
        lawful_basis (LawfulBasis): The six lawful bases of processing of UU 27/2022 Art. 20(2).
        legal_reference (str): The legal instrument: a PKS number, a regulation (`Inpres 4/2025`).
        proposed_at (datetime.datetime):
        proposed_by (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        purposes (list[str]): The purposes (codes of `GET /v1/purposes`) the consumer may read for.
        record_kinds (list[RecordKind]): The kinds of record the consumer may read.
        retention_days (int): How long the consumer may keep what it reads, in days.
        search_keys (list[SearchKey]): The search filters that pick out people which the consumer may use.
        state (VersionState): A version's place in the agreement's life.
        valid_from (datetime.datetime):
        valid_until (datetime.datetime): After this instant the agreement is `expired` and serves no read.
        version (int):
        approved_at (datetime.datetime | None | Unset): When it came into force.
        document_sha256 (str | Unset): SHA-256 (lowercase hex) of the signed document.
        programs (list[str] | Unset): Only records of these programs; absent: every program of the provider.
        region_prefixes (list[str] | Unset): Only families living in these regions (province, regency, district or
            village
            codes); absent: everywhere.
    """

    fields: list[str]
    lawful_basis: LawfulBasis
    legal_reference: str
    proposed_at: datetime.datetime
    proposed_by: str
    purposes: list[str]
    record_kinds: list[RecordKind]
    retention_days: int
    search_keys: list[SearchKey]
    state: VersionState
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    version: int
    approved_at: datetime.datetime | None | Unset = UNSET
    document_sha256: str | Unset = UNSET
    programs: list[str] | Unset = UNSET
    region_prefixes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        lawful_basis = self.lawful_basis.value

        legal_reference = self.legal_reference

        proposed_at = self.proposed_at.isoformat()

        proposed_by = self.proposed_by

        purposes = self.purposes

        record_kinds = []
        for record_kinds_item_data in self.record_kinds:
            record_kinds_item = record_kinds_item_data.value
            record_kinds.append(record_kinds_item)

        retention_days = self.retention_days

        search_keys = []
        for search_keys_item_data in self.search_keys:
            search_keys_item = search_keys_item_data.value
            search_keys.append(search_keys_item)

        state = self.state.value

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        version = self.version

        approved_at: None | str | Unset
        if isinstance(self.approved_at, Unset):
            approved_at = UNSET
        elif isinstance(self.approved_at, datetime.datetime):
            approved_at = self.approved_at.isoformat()
        else:
            approved_at = self.approved_at

        document_sha256 = self.document_sha256

        programs: list[str] | Unset = UNSET
        if not isinstance(self.programs, Unset):
            programs = self.programs

        region_prefixes: list[str] | Unset = UNSET
        if not isinstance(self.region_prefixes, Unset):
            region_prefixes = self.region_prefixes

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "fields": fields,
                "lawful_basis": lawful_basis,
                "legal_reference": legal_reference,
                "proposed_at": proposed_at,
                "proposed_by": proposed_by,
                "purposes": purposes,
                "record_kinds": record_kinds,
                "retention_days": retention_days,
                "search_keys": search_keys,
                "state": state,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "version": version,
            }
        )
        if approved_at is not UNSET:
            field_dict["approved_at"] = approved_at
        if document_sha256 is not UNSET:
            field_dict["document_sha256"] = document_sha256
        if programs is not UNSET:
            field_dict["programs"] = programs
        if region_prefixes is not UNSET:
            field_dict["region_prefixes"] = region_prefixes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        fields = cast(list[str], d.pop("fields"))

        lawful_basis = LawfulBasis(d.pop("lawful_basis"))

        legal_reference = d.pop("legal_reference")

        proposed_at = datetime.datetime.fromisoformat(d.pop("proposed_at"))

        proposed_by = d.pop("proposed_by")

        purposes = cast(list[str], d.pop("purposes"))

        record_kinds = []
        _record_kinds = d.pop("record_kinds")
        for record_kinds_item_data in _record_kinds:
            record_kinds_item = RecordKind(record_kinds_item_data)

            record_kinds.append(record_kinds_item)

        retention_days = d.pop("retention_days")

        search_keys = []
        _search_keys = d.pop("search_keys")
        for search_keys_item_data in _search_keys:
            search_keys_item = SearchKey(search_keys_item_data)

            search_keys.append(search_keys_item)

        state = VersionState(d.pop("state"))

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        version = d.pop("version")

        def _parse_approved_at(data: object) -> datetime.datetime | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                approved_at_type_0 = datetime.datetime.fromisoformat(data)

                return approved_at_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.datetime | None | Unset, data)

        approved_at = _parse_approved_at(d.pop("approved_at", UNSET))

        document_sha256 = d.pop("document_sha256", UNSET)

        programs = cast(list[str], d.pop("programs", UNSET))

        region_prefixes = cast(list[str], d.pop("region_prefixes", UNSET))

        agreement_version = cls(
            fields=fields,
            lawful_basis=lawful_basis,
            legal_reference=legal_reference,
            proposed_at=proposed_at,
            proposed_by=proposed_by,
            purposes=purposes,
            record_kinds=record_kinds,
            retention_days=retention_days,
            search_keys=search_keys,
            state=state,
            valid_from=valid_from,
            valid_until=valid_until,
            version=version,
            approved_at=approved_at,
            document_sha256=document_sha256,
            programs=programs,
            region_prefixes=region_prefixes,
        )

        agreement_version.additional_properties = d
        return agreement_version

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
