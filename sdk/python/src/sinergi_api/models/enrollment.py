from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.enrollment_status import EnrollmentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attributes import Attributes
    from ..models.subject import Subject


T = TypeVar("T", bound="Enrollment")


@_attrs_define
class Enrollment:
    """An enrollment record as the exchange answers it.

    Read by another agency than its publisher, a record holds only the fields of the data-sharing agreement it is read
    under (the metadata, `source_record_id`, `publisher` and `program` always).

        Example:
            {'attributes': {'kelompok_kerja': 'Padat Karya Desa Cibodas'}, 'created_at': '2026-08-01T03:00:00.5Z',
                'ended_on': None, 'enrolled_on': '2026-08-01', 'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'id':
                '019ac9c4-1a2b-7c3d-9e4f-5a6b7c8d9e0f', 'program': 'PKTD', 'publisher': 'KEMENDES', 'region_code':
                '32.01.01.1002', 'retracted': False, 'retraction_reason': None, 'source_record_id': 'PKTD-2026-000045',
                'status': 'active', 'subject': {'kk': '3201012308150007', 'nik': '3201011507850003'}, 'updated_at':
                '2026-08-01T03:00:00.5Z', 'version': 1}

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
            ended_on (datetime.date | None | Unset):
            enrolled_on (datetime.date | Unset): A calendar date, YYYY-MM-DD
            graduation_id (None | Unset | UUID):
            region_code (str | Unset): Kemendagri village code PP.KK.CC.DDDD from the shipped region table; accepted with or
                without dots, always returned with dots Example: 33.01.01.2001.
            retraction_reason (None | str | Unset):
            status (EnrollmentStatus | Unset): Where the participant stands in the program.
            subject (Subject | Unset): Who was enrolled: a person (NIK), a family (KK), or both; at least one. Example:
                {'kk': '3201012308150007', 'nik': '3201011507850003'}.
            subject_ref (str | Unset): Present instead of the subject's NIK (the household head's, or the enrolled person's)
                when the reader's data-sharing agreement does not include that field: a keyed hash of the NIK for the reader's
                agency, the same on every read, different for every agency. It links records of one person without disclosing
                the NIK; re-identifying needs an agreement that includes the NIK.
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
    ended_on: datetime.date | None | Unset = UNSET
    enrolled_on: datetime.date | Unset = UNSET
    graduation_id: None | Unset | UUID = UNSET
    region_code: str | Unset = UNSET
    retraction_reason: None | str | Unset = UNSET
    status: EnrollmentStatus | Unset = UNSET
    subject: Subject | Unset = UNSET
    subject_ref: str | Unset = UNSET
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

        ended_on: None | str | Unset
        if isinstance(self.ended_on, Unset):
            ended_on = UNSET
        elif isinstance(self.ended_on, datetime.date):
            ended_on = self.ended_on.isoformat()
        else:
            ended_on = self.ended_on

        enrolled_on: str | Unset = UNSET
        if not isinstance(self.enrolled_on, Unset):
            enrolled_on = self.enrolled_on.isoformat()

        graduation_id: None | str | Unset
        if isinstance(self.graduation_id, Unset):
            graduation_id = UNSET
        elif isinstance(self.graduation_id, UUID):
            graduation_id = str(self.graduation_id)
        else:
            graduation_id = self.graduation_id

        region_code = self.region_code

        retraction_reason: None | str | Unset
        if isinstance(self.retraction_reason, Unset):
            retraction_reason = UNSET
        else:
            retraction_reason = self.retraction_reason

        status: str | Unset = UNSET
        if not isinstance(self.status, Unset):
            status = self.status.value

        subject: dict[str, Any] | Unset = UNSET
        if not isinstance(self.subject, Unset):
            subject = self.subject.to_dict()

        subject_ref = self.subject_ref

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
        if ended_on is not UNSET:
            field_dict["ended_on"] = ended_on
        if enrolled_on is not UNSET:
            field_dict["enrolled_on"] = enrolled_on
        if graduation_id is not UNSET:
            field_dict["graduation_id"] = graduation_id
        if region_code is not UNSET:
            field_dict["region_code"] = region_code
        if retraction_reason is not UNSET:
            field_dict["retraction_reason"] = retraction_reason
        if status is not UNSET:
            field_dict["status"] = status
        if subject is not UNSET:
            field_dict["subject"] = subject
        if subject_ref is not UNSET:
            field_dict["subject_ref"] = subject_ref

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attributes import Attributes
        from ..models.subject import Subject

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

        def _parse_ended_on(data: object) -> datetime.date | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                ended_on_type_0 = datetime.date.fromisoformat(data)

                return ended_on_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(datetime.date | None | Unset, data)

        ended_on = _parse_ended_on(d.pop("ended_on", UNSET))

        _enrolled_on = d.pop("enrolled_on", UNSET)
        enrolled_on: datetime.date | Unset
        if isinstance(_enrolled_on, Unset):
            enrolled_on = UNSET
        else:
            enrolled_on = datetime.date.fromisoformat(_enrolled_on)

        def _parse_graduation_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                graduation_id_type_0 = UUID(data)

                return graduation_id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        graduation_id = _parse_graduation_id(d.pop("graduation_id", UNSET))

        region_code = d.pop("region_code", UNSET)

        def _parse_retraction_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        retraction_reason = _parse_retraction_reason(d.pop("retraction_reason", UNSET))

        _status = d.pop("status", UNSET)
        status: EnrollmentStatus | Unset
        if isinstance(_status, Unset):
            status = UNSET
        else:
            status = EnrollmentStatus(_status)

        _subject = d.pop("subject", UNSET)
        subject: Subject | Unset
        if isinstance(_subject, Unset):
            subject = UNSET
        else:
            subject = Subject.from_dict(_subject)

        subject_ref = d.pop("subject_ref", UNSET)

        enrollment = cls(
            created_at=created_at,
            id=id,
            program=program,
            publisher=publisher,
            retracted=retracted,
            source_record_id=source_record_id,
            updated_at=updated_at,
            version=version,
            attributes=attributes,
            ended_on=ended_on,
            enrolled_on=enrolled_on,
            graduation_id=graduation_id,
            region_code=region_code,
            retraction_reason=retraction_reason,
            status=status,
            subject=subject,
            subject_ref=subject_ref,
        )

        enrollment.additional_properties = d
        return enrollment

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
