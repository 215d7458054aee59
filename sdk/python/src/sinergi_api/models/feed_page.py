from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.agreement_change import AgreementChange
    from ..models.enrollment_change import EnrollmentChange
    from ..models.excluded import Excluded
    from ..models.follow_up_change import FollowUpChange
    from ..models.graduation_change import GraduationChange
    from ..models.referral_change import ReferralChange


T = TypeVar("T", bound="FeedPage")


@_attrs_define
class FeedPage:
    """A page of the feed.

    Attributes:
        changes (list[AgreementChange | EnrollmentChange | FollowUpChange | GraduationChange | ReferralChange]):
        excluded_publishers (list[Excluded]): Other agencies whose changes this page leaves out, and why (`purpose-
            missing` when
            `Sinergi-Purpose` declares no purpose code, or a refusal's code): without a
            data-sharing agreement for the purpose, another agency's changes are not shown.
        next_ (int): Where to continue: the last position returned, or the head when the page is not full
            (positions up to it that match no filter need not be read again).
    """

    changes: list[
        AgreementChange
        | EnrollmentChange
        | FollowUpChange
        | GraduationChange
        | ReferralChange
    ]
    excluded_publishers: list[Excluded]
    next_: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.agreement_change import AgreementChange
        from ..models.enrollment_change import EnrollmentChange
        from ..models.graduation_change import GraduationChange
        from ..models.referral_change import ReferralChange

        changes = []
        for changes_item_data in self.changes:
            changes_item: dict[str, Any]
            if (
                isinstance(changes_item_data, GraduationChange)
                or isinstance(changes_item_data, EnrollmentChange)
                or isinstance(changes_item_data, AgreementChange)
                or isinstance(changes_item_data, ReferralChange)
            ):
                changes_item = changes_item_data.to_dict()
            else:
                changes_item = changes_item_data.to_dict()

            changes.append(changes_item)

        excluded_publishers = []
        for excluded_publishers_item_data in self.excluded_publishers:
            excluded_publishers_item = excluded_publishers_item_data.to_dict()
            excluded_publishers.append(excluded_publishers_item)

        next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "changes": changes,
                "excluded_publishers": excluded_publishers,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.agreement_change import AgreementChange
        from ..models.enrollment_change import EnrollmentChange
        from ..models.excluded import Excluded
        from ..models.follow_up_change import FollowUpChange
        from ..models.graduation_change import GraduationChange
        from ..models.referral_change import ReferralChange

        d = dict(src_dict)
        changes = []
        _changes = d.pop("changes")
        for changes_item_data in _changes:

            def _parse_changes_item(
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

            changes_item = _parse_changes_item(changes_item_data)

            changes.append(changes_item)

        excluded_publishers = []
        _excluded_publishers = d.pop("excluded_publishers")
        for excluded_publishers_item_data in _excluded_publishers:
            excluded_publishers_item = Excluded.from_dict(excluded_publishers_item_data)

            excluded_publishers.append(excluded_publishers_item)

        next_ = d.pop("next")

        feed_page = cls(
            changes=changes,
            excluded_publishers=excluded_publishers,
            next_=next_,
        )

        feed_page.additional_properties = d
        return feed_page

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
