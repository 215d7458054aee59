from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.lawful_basis import LawfulBasis
from ..models.record_kind import RecordKind
from ..models.search_key import SearchKey
from ..types import UNSET, Unset

T = TypeVar("T", bound="Terms")


@_attrs_define
class Terms:
    """What a provider lets a consumer read: one version of an agreement's terms.

    Example:
        {'fields': ['/household/kk', '/household/head_nik', '/region_code', '/graduation_type', '/graduated_on',
            '/welfare_decile'], 'lawful_basis': 'public_task', 'legal_reference': 'PKS Nomor 12/PKS/2026 antara Kemensos dan
            Kemendes PDT', 'programs': ['PKH', 'SEMBAKO'], 'purposes': ['PEMBERDAYAAN_EKONOMI'], 'record_kinds':
            ['graduation'], 'retention_days': 365, 'search_keys': ['kk'], 'valid_from': '2026-01-01T00:00:00Z',
            'valid_until': '2027-12-31T16:59:59Z'}

    Attributes:
        fields (list[str]): The record fields the consumer receives, as JSON pointers into the shared schema
            (`/household/kk`, `/region_code`; `/household` covers all of it). Metadata, the
            publisher's id and the program are always shown. Without the subject's NIK field
            the record carries a `subject_ref` instead.
        lawful_basis (LawfulBasis): The six lawful bases of processing of UU 27/2022 Art. 20(2).
        legal_reference (str): The legal instrument: a PKS number, a regulation (`Inpres 4/2025`).
        purposes (list[str]): The purposes (codes of `GET /v1/purposes`) the consumer may read for.
        record_kinds (list[RecordKind]): The kinds of record the consumer may read.
        retention_days (int): How long the consumer may keep what it reads, in days.
        search_keys (list[SearchKey]): The search filters that pick out people which the consumer may use.
        valid_from (datetime.datetime):
        valid_until (datetime.datetime): After this instant the agreement is `expired` and serves no read.
        document_sha256 (str | Unset): SHA-256 (lowercase hex) of the signed document.
        programs (list[str] | Unset): Only records of these programs; absent: every program of the provider.
        region_prefixes (list[str] | Unset): Only families living in these regions (province, regency, district or
            village
            codes); absent: everywhere.
    """

    fields: list[str]
    lawful_basis: LawfulBasis
    legal_reference: str
    purposes: list[str]
    record_kinds: list[RecordKind]
    retention_days: int
    search_keys: list[SearchKey]
    valid_from: datetime.datetime
    valid_until: datetime.datetime
    document_sha256: str | Unset = UNSET
    programs: list[str] | Unset = UNSET
    region_prefixes: list[str] | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        fields = self.fields

        lawful_basis = self.lawful_basis.value

        legal_reference = self.legal_reference

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

        valid_from = self.valid_from.isoformat()

        valid_until = self.valid_until.isoformat()

        document_sha256 = self.document_sha256

        programs: list[str] | Unset = UNSET
        if not isinstance(self.programs, Unset):
            programs = self.programs

        region_prefixes: list[str] | Unset = UNSET
        if not isinstance(self.region_prefixes, Unset):
            region_prefixes = self.region_prefixes

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "fields": fields,
                "lawful_basis": lawful_basis,
                "legal_reference": legal_reference,
                "purposes": purposes,
                "record_kinds": record_kinds,
                "retention_days": retention_days,
                "search_keys": search_keys,
                "valid_from": valid_from,
                "valid_until": valid_until,
            }
        )
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

        valid_from = datetime.datetime.fromisoformat(d.pop("valid_from"))

        valid_until = datetime.datetime.fromisoformat(d.pop("valid_until"))

        document_sha256 = d.pop("document_sha256", UNSET)

        programs = cast(list[str], d.pop("programs", UNSET))

        region_prefixes = cast(list[str], d.pop("region_prefixes", UNSET))

        terms = cls(
            fields=fields,
            lawful_basis=lawful_basis,
            legal_reference=legal_reference,
            purposes=purposes,
            record_kinds=record_kinds,
            retention_days=retention_days,
            search_keys=search_keys,
            valid_from=valid_from,
            valid_until=valid_until,
            document_sha256=document_sha256,
            programs=programs,
            region_prefixes=region_prefixes,
        )

        return terms
