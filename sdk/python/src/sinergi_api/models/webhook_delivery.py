from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agreement_change import AgreementChange
    from ..models.enrollment_change import EnrollmentChange
    from ..models.follow_up_change import FollowUpChange
    from ..models.graduation_change import GraduationChange
    from ..models.referral_change import ReferralChange


T = TypeVar("T", bound="WebhookDelivery")


@_attrs_define
class WebhookDelivery:
    """One change delivered to a subscription: the change exactly as `GET /v1/changes` shows it to the subscribing agency.

    Attributes:
        data (AgreementChange | EnrollmentChange | FollowUpChange | GraduationChange | ReferralChange): One change: a
            record version that was created, updated or retracted, or a step in a
            data-sharing agreement's life.
        timestamp (datetime.datetime): The change's `occurred_at`.
        type_ (str): The change's `type` and `action`, as `graduation.created`, `referral.accepted` or
            `follow_up.raised`. Example: graduation.created.
    """

    data: (
        AgreementChange
        | EnrollmentChange
        | FollowUpChange
        | GraduationChange
        | ReferralChange
    )
    timestamp: datetime.datetime
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agreement_change import AgreementChange
        from ..models.enrollment_change import EnrollmentChange
        from ..models.graduation_change import GraduationChange
        from ..models.referral_change import ReferralChange

        data: dict[str, Any]
        if (
            isinstance(self.data, GraduationChange)
            or isinstance(self.data, EnrollmentChange)
            or isinstance(self.data, AgreementChange)
            or isinstance(self.data, ReferralChange)
        ):
            data = self.data.to_dict()
        else:
            data = self.data.to_dict()

        timestamp = self.timestamp.isoformat()

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "data": data,
                "timestamp": timestamp,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agreement_change import AgreementChange
        from ..models.enrollment_change import EnrollmentChange
        from ..models.follow_up_change import FollowUpChange
        from ..models.graduation_change import GraduationChange
        from ..models.referral_change import ReferralChange

        d = dict(src_dict)

        def _parse_data(
            data: object,
        ) -> (
            AgreementChange
            | EnrollmentChange
            | FollowUpChange
            | GraduationChange
            | ReferralChange
        ):
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_change_type_0 = GraduationChange.from_dict(data)

                return componentsschemas_change_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_change_type_1 = EnrollmentChange.from_dict(data)

                return componentsschemas_change_type_1
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_change_type_2 = AgreementChange.from_dict(data)

                return componentsschemas_change_type_2
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_change_type_3 = ReferralChange.from_dict(data)

                return componentsschemas_change_type_3
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, dict):
                raise TypeError()
            componentsschemas_change_type_4 = FollowUpChange.from_dict(data)

            return componentsschemas_change_type_4

        data = _parse_data(d.pop("data"))

        timestamp = datetime.datetime.fromisoformat(d.pop("timestamp"))

        type_ = d.pop("type")

        webhook_delivery = cls(
            data=data,
            timestamp=timestamp,
            type_=type_,
        )

        webhook_delivery.additional_properties = d
        return webhook_delivery

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
