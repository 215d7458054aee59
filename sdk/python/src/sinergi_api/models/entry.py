from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.outcome import Outcome
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.aggregate import Aggregate
    from ..models.agreement_ref import AgreementRef
    from ..models.agreement_state import AgreementState


T = TypeVar("T", bound="Entry")


@_attrs_define
class Entry:
    """An audit entry. Its leaf in the Merkle tree is the RFC 8785 encoding of this object,
    `index` included. The fields of the first version are always present (absent values are
    `null` or `[]`); those added later (`kk_hashes`, `source_address`, `aggregate`,
    `agreements`, `agreement`) are left out when empty, so that every entry written before them keeps its bytes and
    still
    verifies.

        Example:
            {'agency': 'KEMENDES', 'client_id': 'kemendes-sipede', 'index': 41, 'latency_us': 2314, 'method': 'GET',
                'nik_hashes': ['5d0c1e6fb1f1d1b37d8f5a4c1c9e2e0b7a3e5f2d8c4b6a9e1f3d5c7b9a1e3f5d'], 'outcome': 'allowed',
                'purpose': 'Verifikasi calon peserta program pemberdayaan', 'record_ids':
                ['019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80'], 'request_id': '0b7f8f1e-3f0c-4d55-9a55-61f0a3f1c2d4', 'route':
                '/v1/graduations', 'status': 200, 'time': '2026-11-28T03:12:45.123456Z'}

        Attributes:
            latency_us (int): From the request's arrival until its entry was made, in microseconds.
            method (str): The request's method; empty for a request whose head the HTTP layer could not read
                (a `malformed-request` refusal, counted in its source address's aggregate).
            nik_hashes (list[str]): HMAC-SHA256 (with a secret of the exchange), hex, of every NIK the request touched:
                asked for, written or returned.
            outcome (Outcome): How a request ended, from the auditor's point of view.
            record_ids (list[str]): The records the request wrote or returned (all of them, for a search page).
            request_id (str): The `X-Request-Id` of the request (also the `instance` of its problem, if any).
            status (int):
            time (str): When the request arrived, RFC 3339 in UTC with microseconds.
            agency (None | str | Unset): The client's agency.
            aggregate (Aggregate | None | Unset):
            agreement (AgreementState | None | Unset):
            agreements (list[AgreementRef] | Unset): The data-sharing agreements, each at the version in force, under which
                the request
                read another agency's records, or that it changed.
            client_id (None | str | Unset): The authenticated client, or at the token endpoint the registered client that
                presented credentials; `null` when no known client was presented.
            index (int | None | Unset): The leaf's position in the log, from 0; assigned when the entry joins the tree.
            kk_hashes (list[str] | Unset): HMAC-SHA256 (with another secret of the exchange than for NIKs), hex, of every KK
                (family card number) the request touched: asked for, written or returned.
            purpose (None | str | Unset): The declared purpose: the `Sinergi-Purpose` header.
            route (None | str | Unset): The route template (`/v1/graduations/{id}`); `null` when no route matched. Never
                the path itself, which could carry personal data.
            source_address (None | str | Unset): The address the request came from, as this server saw it (the TCP peer:
                behind a
                reverse proxy, the proxy). For an aggregate, the address or IPv6 /64 it counts.
                Absent for webhook deliveries, which the exchange itself makes.
    """

    latency_us: int
    method: str
    nik_hashes: list[str]
    outcome: Outcome
    record_ids: list[str]
    request_id: str
    status: int
    time: str
    agency: None | str | Unset = UNSET
    aggregate: Aggregate | None | Unset = UNSET
    agreement: AgreementState | None | Unset = UNSET
    agreements: list[AgreementRef] | Unset = UNSET
    client_id: None | str | Unset = UNSET
    index: int | None | Unset = UNSET
    kk_hashes: list[str] | Unset = UNSET
    purpose: None | str | Unset = UNSET
    route: None | str | Unset = UNSET
    source_address: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.aggregate import Aggregate
        from ..models.agreement_state import AgreementState

        latency_us = self.latency_us

        method = self.method

        nik_hashes = self.nik_hashes

        outcome = self.outcome.value

        record_ids = self.record_ids

        request_id = self.request_id

        status = self.status

        time = self.time

        agency: None | str | Unset
        if isinstance(self.agency, Unset):
            agency = UNSET
        else:
            agency = self.agency

        aggregate: dict[str, Any] | None | Unset
        if isinstance(self.aggregate, Unset):
            aggregate = UNSET
        elif isinstance(self.aggregate, Aggregate):
            aggregate = self.aggregate.to_dict()
        else:
            aggregate = self.aggregate

        agreement: dict[str, Any] | None | Unset
        if isinstance(self.agreement, Unset):
            agreement = UNSET
        elif isinstance(self.agreement, AgreementState):
            agreement = self.agreement.to_dict()
        else:
            agreement = self.agreement

        agreements: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.agreements, Unset):
            agreements = []
            for agreements_item_data in self.agreements:
                agreements_item = agreements_item_data.to_dict()
                agreements.append(agreements_item)

        client_id: None | str | Unset
        if isinstance(self.client_id, Unset):
            client_id = UNSET
        else:
            client_id = self.client_id

        index: int | None | Unset
        if isinstance(self.index, Unset):
            index = UNSET
        else:
            index = self.index

        kk_hashes: list[str] | Unset = UNSET
        if not isinstance(self.kk_hashes, Unset):
            kk_hashes = self.kk_hashes

        purpose: None | str | Unset
        if isinstance(self.purpose, Unset):
            purpose = UNSET
        else:
            purpose = self.purpose

        route: None | str | Unset
        if isinstance(self.route, Unset):
            route = UNSET
        else:
            route = self.route

        source_address: None | str | Unset
        if isinstance(self.source_address, Unset):
            source_address = UNSET
        else:
            source_address = self.source_address

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "latency_us": latency_us,
                "method": method,
                "nik_hashes": nik_hashes,
                "outcome": outcome,
                "record_ids": record_ids,
                "request_id": request_id,
                "status": status,
                "time": time,
            }
        )
        if agency is not UNSET:
            field_dict["agency"] = agency
        if aggregate is not UNSET:
            field_dict["aggregate"] = aggregate
        if agreement is not UNSET:
            field_dict["agreement"] = agreement
        if agreements is not UNSET:
            field_dict["agreements"] = agreements
        if client_id is not UNSET:
            field_dict["client_id"] = client_id
        if index is not UNSET:
            field_dict["index"] = index
        if kk_hashes is not UNSET:
            field_dict["kk_hashes"] = kk_hashes
        if purpose is not UNSET:
            field_dict["purpose"] = purpose
        if route is not UNSET:
            field_dict["route"] = route
        if source_address is not UNSET:
            field_dict["source_address"] = source_address

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.aggregate import Aggregate
        from ..models.agreement_ref import AgreementRef
        from ..models.agreement_state import AgreementState

        d = dict(src_dict)
        latency_us = d.pop("latency_us")

        method = d.pop("method")

        nik_hashes = cast(list[str], d.pop("nik_hashes"))

        outcome = Outcome(d.pop("outcome"))

        record_ids = cast(list[str], d.pop("record_ids"))

        request_id = d.pop("request_id")

        status = d.pop("status")

        time = d.pop("time")

        def _parse_agency(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        agency = _parse_agency(d.pop("agency", UNSET))

        def _parse_aggregate(data: object) -> Aggregate | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                aggregate_type_0 = Aggregate.from_dict(data)

                return aggregate_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Aggregate | None | Unset, data)

        aggregate = _parse_aggregate(d.pop("aggregate", UNSET))

        def _parse_agreement(data: object) -> AgreementState | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                agreement_type_0 = AgreementState.from_dict(data)

                return agreement_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(AgreementState | None | Unset, data)

        agreement = _parse_agreement(d.pop("agreement", UNSET))

        _agreements = d.pop("agreements", UNSET)
        agreements: list[AgreementRef] | Unset = UNSET
        if _agreements is not UNSET:
            agreements = []
            for agreements_item_data in _agreements:
                agreements_item = AgreementRef.from_dict(agreements_item_data)

                agreements.append(agreements_item)

        def _parse_client_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_id = _parse_client_id(d.pop("client_id", UNSET))

        def _parse_index(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        index = _parse_index(d.pop("index", UNSET))

        kk_hashes = cast(list[str], d.pop("kk_hashes", UNSET))

        def _parse_purpose(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        purpose = _parse_purpose(d.pop("purpose", UNSET))

        def _parse_route(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        route = _parse_route(d.pop("route", UNSET))

        def _parse_source_address(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_address = _parse_source_address(d.pop("source_address", UNSET))

        entry = cls(
            latency_us=latency_us,
            method=method,
            nik_hashes=nik_hashes,
            outcome=outcome,
            record_ids=record_ids,
            request_id=request_id,
            status=status,
            time=time,
            agency=agency,
            aggregate=aggregate,
            agreement=agreement,
            agreements=agreements,
            client_id=client_id,
            index=index,
            kk_hashes=kk_hashes,
            purpose=purpose,
            route=route,
            source_address=source_address,
        )

        return entry
