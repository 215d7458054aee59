from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.graduation_type import GraduationType
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attributes import Attributes
    from ..models.household import Household


T = TypeVar("T", bound="Graduation")


@_attrs_define
class Graduation:
    """A graduation record as the exchange answers it.

    Read by another agency than its publisher, a record holds only the fields of the data-sharing agreement it is read
    under (the metadata, `source_record_id`, `publisher` and `program` always).

        Example:
            {'attributes': {'pendamping': 'PD-3201-17'}, 'created_at': '2026-07-01T02:15:00.123456Z', 'graduated_on':
                '2026-06-30', 'graduation_type': 'natural', 'household': {'head_nik': '3201011507850003', 'kk':
                '3201012308150007'}, 'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'member_niks': ['3201015508870002'],
                'program': 'PKH', 'publisher': 'KEMENSOS', 'reason': 'Pendapatan keluarga di atas garis kemiskinan selama 12
                bulan', 'region_code': '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id':
                'PKH-2026-3201-000123', 'updated_at': '2026-07-01T02:15:00.123456Z', 'version': 1, 'welfare_decile': 6}

        Attributes:
            created_at (datetime.datetime):
            id (UUID): The exchange's id for the record.
            program (str): A program's code, such as `PKH`. Example: PKH.
            publisher (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
            retracted (bool): Whether the publisher withdrew the record; a retracted record is a tombstone.
            source_record_id (str): The publisher's own id for the record (1-128 characters, no control characters);
                publishing the same id again updates the record Example: PKH-2026-3201-000123.
            updated_at (datetime.datetime): When this version was written.
            version (int): Starts at 1 and grows by one with every change, retraction included.
            attributes (Attributes | None | Unset):
            graduated_on (datetime.date | Unset): A calendar date, YYYY-MM-DD
            graduation_type (GraduationType | Unset): How the family left the program.
            household (Household | Unset): The family: its card number (KK) and the NIK of its head. Example: {'head_nik':
                '3201011507850003', 'kk': '3201012308150007'}.
            member_niks (list[str] | Unset):
            reason (None | str | Unset):
            region_code (str | Unset): Kemendagri village code PP.KK.CC.DDDD from the shipped region table; accepted with or
                without dots, always returned with dots Example: 33.01.01.2001.
            retraction_reason (None | str | Unset):
            subject_ref (str | Unset): Present instead of the subject's NIK (the household head's, or the enrolled person's)
                when the reader's data-sharing agreement does not include that field: a keyed hash of the NIK for the reader's
                agency, the same on every read, different for every agency. It links records of one person without disclosing
                the NIK; re-identifying needs an agreement that includes the NIK.
            welfare_decile (int | None | Unset):
    """

    created_at: datetime.datetime
    id: UUID
    program: str
    publisher: str
    retracted: bool
    source_record_id: str
    updated_at: datetime.datetime
    version: int
    attributes: Attributes | None | Unset = UNSET
    graduated_on: datetime.date | Unset = UNSET
    graduation_type: GraduationType | Unset = UNSET
    household: Household | Unset = UNSET
    member_niks: list[str] | Unset = UNSET
    reason: None | str | Unset = UNSET
    region_code: str | Unset = UNSET
    retraction_reason: None | str | Unset = UNSET
    subject_ref: str | Unset = UNSET
    welfare_decile: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.attributes import Attributes

        created_at = self.created_at.isoformat()

        id = str(self.id)

        program = self.program

        publisher = self.publisher

        retracted = self.retracted

        source_record_id = self.source_record_id

        updated_at = self.updated_at.isoformat()

        version = self.version

        attributes: dict[str, Any] | None | Unset
        if isinstance(self.attributes, Unset):
            attributes = UNSET
        elif isinstance(self.attributes, Attributes):
            attributes = self.attributes.to_dict()
        else:
            attributes = self.attributes

        graduated_on: str | Unset = UNSET
        if not isinstance(self.graduated_on, Unset):
            graduated_on = self.graduated_on.isoformat()

        graduation_type: str | Unset = UNSET
        if not isinstance(self.graduation_type, Unset):
            graduation_type = self.graduation_type.value

        household: dict[str, Any] | Unset = UNSET
        if not isinstance(self.household, Unset):
            household = self.household.to_dict()

        member_niks: list[str] | Unset = UNSET
        if not isinstance(self.member_niks, Unset):
            member_niks = self.member_niks

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        region_code = self.region_code

        retraction_reason: None | str | Unset
        if isinstance(self.retraction_reason, Unset):
            retraction_reason = UNSET
        else:
            retraction_reason = self.retraction_reason

        subject_ref = self.subject_ref

        welfare_decile: int | None | Unset
        if isinstance(self.welfare_decile, Unset):
            welfare_decile = UNSET
        else:
            welfare_decile = self.welfare_decile

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "created_at": created_at,
                "id": id,
                "program": program,
                "publisher": publisher,
                "retracted": retracted,
                "source_record_id": source_record_id,
                "updated_at": updated_at,
                "version": version,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if graduated_on is not UNSET:
            field_dict["graduated_on"] = graduated_on
        if graduation_type is not UNSET:
            field_dict["graduation_type"] = graduation_type
        if household is not UNSET:
            field_dict["household"] = household
        if member_niks is not UNSET:
            field_dict["member_niks"] = member_niks
        if reason is not UNSET:
            field_dict["reason"] = reason
        if region_code is not UNSET:
            field_dict["region_code"] = region_code
        if retraction_reason is not UNSET:
            field_dict["retraction_reason"] = retraction_reason
        if subject_ref is not UNSET:
            field_dict["subject_ref"] = subject_ref
        if welfare_decile is not UNSET:
            field_dict["welfare_decile"] = welfare_decile

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attributes import Attributes
        from ..models.household import Household

        d = dict(src_dict)
        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        id = UUID(d.pop("id"))

        program = d.pop("program")

        publisher = d.pop("publisher")

        retracted = d.pop("retracted")

        source_record_id = d.pop("source_record_id")

        updated_at = datetime.datetime.fromisoformat(d.pop("updated_at"))

        version = d.pop("version")

        def _parse_attributes(data: object) -> Attributes | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                attributes_type_0 = Attributes.from_dict(data)

                return attributes_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(Attributes | None | Unset, data)

        attributes = _parse_attributes(d.pop("attributes", UNSET))

        _graduated_on = d.pop("graduated_on", UNSET)
        graduated_on: datetime.date | Unset
        if isinstance(_graduated_on, Unset):
            graduated_on = UNSET
        else:
            graduated_on = datetime.date.fromisoformat(_graduated_on)

        _graduation_type = d.pop("graduation_type", UNSET)
        graduation_type: GraduationType | Unset
        if isinstance(_graduation_type, Unset):
            graduation_type = UNSET
        else:
            graduation_type = GraduationType(_graduation_type)

        _household = d.pop("household", UNSET)
        household: Household | Unset
        if isinstance(_household, Unset):
            household = UNSET
        else:
            household = Household.from_dict(_household)

        member_niks = cast(list[str], d.pop("member_niks", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        region_code = d.pop("region_code", UNSET)

        def _parse_retraction_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retraction_reason = _parse_retraction_reason(d.pop("retraction_reason", UNSET))

        subject_ref = d.pop("subject_ref", UNSET)

        def _parse_welfare_decile(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        welfare_decile = _parse_welfare_decile(d.pop("welfare_decile", UNSET))

        graduation = cls(
            created_at=created_at,
            id=id,
            program=program,
            publisher=publisher,
            retracted=retracted,
            source_record_id=source_record_id,
            updated_at=updated_at,
            version=version,
            attributes=attributes,
            graduated_on=graduated_on,
            graduation_type=graduation_type,
            household=household,
            member_niks=member_niks,
            reason=reason,
            region_code=region_code,
            retraction_reason=retraction_reason,
            subject_ref=subject_ref,
            welfare_decile=welfare_decile,
        )

        graduation.additional_properties = d
        return graduation

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
