from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="Problem")


@_attrs_define
class Problem:
    """An RFC 9457 problem details body.

    Example:
        {'detail': '1 field is not valid', 'errors': [{'detail': 'must start with an uppercase letter A-Z', 'pointer':
            '#/path/code'}], 'instance': '3f1c2a9e-6a0b-4f55-9a57-2f4f0f1b7c11', 'status': 400, 'title': 'The request is not
            valid', 'type': 'urn:sinergi:problem:validation'}

    Attributes:
        detail (str):
        instance (str): The id of the request (the `X-Request-Id` response header), for support and the audit log.
        status (int):
        title (str):
        type_ (str): A URN naming the kind of problem; stable, so clients may branch on it.
        allowed_transitions (list[str] | Unset): For an illegal referral transition (`urn:sinergi:problem:illegal-
            transition`): the
            steps the caller may take from the referral's status (empty when none).
        errors (list[FieldError] | Unset): For validation problems: one entry per invalid field.
    """

    detail: str
    instance: str
    status: int
    title: str
    type_: str
    allowed_transitions: list[str] | Unset = UNSET
    errors: list[FieldError] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        detail = self.detail

        instance = self.instance

        status = self.status

        title = self.title

        type_ = self.type_

        allowed_transitions: list[str] | Unset = UNSET
        if not isinstance(self.allowed_transitions, Unset):
            allowed_transitions = self.allowed_transitions

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "detail": detail,
                "instance": instance,
                "status": status,
                "title": title,
                "type": type_,
            }
        )
        if allowed_transitions is not UNSET:
            field_dict["allowed_transitions"] = allowed_transitions
        if errors is not UNSET:
            field_dict["errors"] = errors

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_error import FieldError

        d = dict(src_dict)
        detail = d.pop("detail")

        instance = d.pop("instance")

        status = d.pop("status")

        title = d.pop("title")

        type_ = d.pop("type")

        allowed_transitions = cast(list[str], d.pop("allowed_transitions", UNSET))

        _errors = d.pop("errors", UNSET)
        errors: list[FieldError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = FieldError.from_dict(errors_item_data)

                errors.append(errors_item)

        problem = cls(
            detail=detail,
            instance=instance,
            status=status,
            title=title,
            type_=type_,
            allowed_transitions=allowed_transitions,
            errors=errors,
        )

        problem.additional_properties = d
        return problem

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
