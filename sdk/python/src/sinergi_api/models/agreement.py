from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.agreement_status import AgreementStatus
from ..models.lawful_basis import LawfulBasis
from ..models.record_kind import RecordKind
from ..models.search_key import SearchKey
from ..types import UNSET, Unset

T = TypeVar("T", bound="Agreement")


@_attrs_define
class Agreement:
    """A data-sharing agreement: the provider lets the consumer read the records its terms
    describe, for the purposes they list, while it is `active`.

        Attributes:
            consumer_agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
            created_at (datetime.datetime):
            fields (list[str]): The record fields the consumer receives, as JSON pointers into the shared schema
                (`/household/kk`, `/region_code`; `/household` covers all of it). Metadata, the
                publisher's id and the program are always shown. Without the subject's NIK field
                the record carries a `subject_ref` instead.
            id (UUID):
            latest_version (int): The newest version of any state: the ETag, and what `If-Match` names to change the
                terms.
            lawful_basis (LawfulBasis): The six lawful bases of processing of UU 27/2022 Art. 20(2).
            legal_reference (str): The legal instrument: a PKS number, a regulation (`Inpres 4/2025`).
            provider_agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
            purposes (list[str]): The purposes (codes of `GET /v1/purposes`) the consumer may read for.
            record_kinds (list[RecordKind]): The kinds of record the consumer may read.
            retention_days (int): How long the consumer may keep what it reads, in days.
            search_keys (list[SearchKey]): The search filters that pick out people which the consumer may use.
            status (AgreementStatus): Where an agreement stands. `expired` is not stored: an agreement is expired while its
                terms' `valid_until` has passed.
            updated_at (datetime.datetime):
            valid_from (datetime.datetime):
            valid_until (datetime.datetime): After this instant the agreement is `expired` and serves no read.
            version (int): The version whose terms are shown: the one in force, or while the agreement was
                never approved, the latest proposal.
            document_sha256 (str | Unset): SHA-256 (lowercase hex) of the signed document.
            pending_version (int | None | Unset): A later version (a widening) awaiting the provider's approval; until then
                `version`
                stays in force.
            programs (list[str] | Unset): Only records of these programs; absent: every program of the provider.
            region_prefixes (list[str] | Unset): Only families living in these regions (province, regency, district or
                village
                codes); absent: everywhere.
    """

    consumer_agency: str
    created_at: datetime.datetime
    fields: list[str]
    id: UUID
    latest_version: int
    lawful_basis: LawfulBasis
    legal_reference: str
    provider_agency: str
    purposes: list[str]
    record_kinds: list[RecordKind]
    retention_days: int
    search_keys: list[SearchKey]
    status: AgreementStatus
    updated_at: datetime.datetime
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    version: int
    document_sha256: str | Unset = UNSET
    pending_version: int | None | Unset = UNSET
    programs: list[str] | Unset = UNSET
    region_prefixes: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consumer_agency = self.consumer_agency

        created_at = self.created_at.isoformat()

        fields = self.fields

        id = str(self.id)

        latest_version = self.latest_version

        lawful_basis = self.lawful_basis.value

        legal_reference = self.legal_reference

        provider_agency = self.provider_agency

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

        status = self.status.value

        updated_at = self.updated_at.isoformat()

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        version = self.version

        document_sha256 = self.document_sha256

        pending_version: int | None | Unset
        if isinstance(self.pending_version, Unset):
            pending_version = UNSET
        else:
            pending_version = self.pending_version

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
                "consumer_agency": consumer_agency,
                "created_at": created_at,
                "fields": fields,
                "id": id,
                "latest_version": latest_version,
                "lawful_basis": lawful_basis,
                "legal_reference": legal_reference,
                "provider_agency": provider_agency,
                "purposes": purposes,
                "record_kinds": record_kinds,
                "retention_days": retention_days,
                "search_keys": search_keys,
                "status": status,
                "updated_at": updated_at,
                "valid_from": valid_from,
                "valid_until": valid_until,
                "version": version,
            }
        )
        if document_sha256 is not UNSET:
            field_dict["document_sha256"] = document_sha256
        if pending_version is not UNSET:
            field_dict["pending_version"] = pending_version
        if programs is not UNSET:
            field_dict["programs"] = programs
        if region_prefixes is not UNSET:
            field_dict["region_prefixes"] = region_prefixes

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consumer_agency = d.pop("consumer_agency")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        fields = cast(list[str], d.pop("fields"))

        id = UUID(d.pop("id"))

        latest_version = d.pop("latest_version")

        lawful_basis = LawfulBasis(d.pop("lawful_basis"))

        legal_reference = d.pop("legal_reference")

        provider_agency = d.pop("provider_agency")

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

        status = AgreementStatus(d.pop("status"))

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        version = d.pop("version")

        document_sha256 = d.pop("document_sha256", UNSET)

        def _parse_pending_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        pending_version = _parse_pending_version(d.pop("pending_version", UNSET))

        programs = cast(list[str], d.pop("programs", UNSET))

        region_prefixes = cast(list[str], d.pop("region_prefixes", UNSET))

        agreement = cls(
            consumer_agency=consumer_agency,
            created_at=created_at,
            fields=fields,
            id=id,
            latest_version=latest_version,
            lawful_basis=lawful_basis,
            legal_reference=legal_reference,
            provider_agency=provider_agency,
            purposes=purposes,
            record_kinds=record_kinds,
            retention_days=retention_days,
            search_keys=search_keys,
            status=status,
            updated_at=updated_at,
            valid_from=valid_from,
            valid_until=valid_until,
            version=version,
            document_sha256=document_sha256,
            pending_version=pending_version,
            programs=programs,
            region_prefixes=region_prefixes,
        )

        agreement.additional_properties = d
        return agreement

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
