from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define

from ..models.enrollment_status import EnrollmentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.attributes import Attributes
    from ..models.subject import Subject


T = TypeVar("T", bound="EnrollmentInput")


@_attrs_define
class EnrollmentInput:
    """What a publisher sends for an enrollment (kepesertaan program). The publisher, id,
    version and timestamps are set by the exchange.

        Example:
            {'attributes': {'kelompok_kerja': 'Padat Karya Desa Cibodas'}, 'ended_on': None, 'enrolled_on': '2026-08-01',
                'graduation_id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'program': 'PKTD', 'region_code': '32.01.01.1002',
                'source_record_id': 'PKTD-2026-000045', 'status': 'active', 'subject': {'kk': '3201012308150007', 'nik':
                '3201011507850003'}}

        Attributes:
            enrolled_on (datetime.date): A calendar date, YYYY-MM-DD
            program (str): A program's code, such as `PKH`. Example: PKH.
            region_code (str): Kemendagri village code PP.KK.CC.DDDD from the shipped region table; accepted with or without
                dots, always returned with dots Example: 33.01.01.2001.
            source_record_id (str): The publisher's own id for the record (1-128 characters, no control characters);
                publishing the same id again updates the record Example: PKH-2026-3201-000123.
            status (EnrollmentStatus): Where the participant stands in the program.
            subject (Subject): Who was enrolled: a person (NIK), a family (KK), or both; at least one. Example: {'kk':
                '3201012308150007', 'nik': '3201011507850003'}.
            attributes (Attributes | None | Unset):
            ended_on (datetime.date | None | Unset):
            graduation_id (None | Unset | UUID): The graduation that led to this enrollment, by its exchange id.
    """

    enrolled_on: datetime.date
    program: str
    region_code: str
    source_record_id: str
    status: EnrollmentStatus
    subject: Subject
    attributes: Attributes | None | Unset = UNSET
    ended_on: datetime.date | None | Unset = UNSET
    graduation_id: None | Unset | UUID = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.attributes import Attributes

        enrolled_on = self.enrolled_on.isoformat()

        program = self.program

        region_code = self.region_code

        source_record_id = self.source_record_id

        status = self.status.value

        subject = self.subject.to_dict()

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

        graduation_id: None | str | Unset
        if isinstance(self.graduation_id, Unset):
            graduation_id = UNSET
        elif isinstance(self.graduation_id, UUID):
            graduation_id = str(self.graduation_id)
        else:
            graduation_id = self.graduation_id

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "enrolled_on": enrolled_on,
                "program": program,
                "region_code": region_code,
                "source_record_id": source_record_id,
                "status": status,
                "subject": subject,
            }
        )
        if attributes is not UNSET:
            field_dict["attributes"] = attributes
        if ended_on is not UNSET:
            field_dict["ended_on"] = ended_on
        if graduation_id is not UNSET:
            field_dict["graduation_id"] = graduation_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.attributes import Attributes
        from ..models.subject import Subject

        d = dict(src_dict)
        enrolled_on = datetime.date.fromisoformat(d.pop("enrolled_on"))

        program = d.pop("program")

        region_code = d.pop("region_code")

        source_record_id = d.pop("source_record_id")

        status = EnrollmentStatus(d.pop("status"))

        subject = Subject.from_dict(d.pop("subject"))

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

        enrollment_input = cls(
            enrolled_on=enrolled_on,
            program=program,
            region_code=region_code,
            source_record_id=source_record_id,
            status=status,
            subject=subject,
            attributes=attributes,
            ended_on=ended_on,
            graduation_id=graduation_id,
        )

        return enrollment_input
