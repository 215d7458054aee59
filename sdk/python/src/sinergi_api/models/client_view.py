from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope

T = TypeVar("T", bound="ClientView")


@_attrs_define
class ClientView:
    """A client as operators see it: never its secret or secret hash.

    Example:
        {'agency': 'KEMENSOS', 'auth_method': 'client_secret', 'client_id': '5d0c1e6a-0f8e-4d7b-9d3f-3f2f1c1f6b0a',
            'created_at': '2026-11-28T05:00:00Z', 'disabled': False, 'name': 'SIKS-NG publisher', 'scopes':
            ['graduations:write', 'graduations:read']}

    Attributes:
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        auth_method (str): `client_secret` or `private_key_jwt`.
        client_id (str):
        created_at (datetime.datetime):
        disabled (bool):
        name (str):
        scopes (list[Scope]):
    """

    agency: str
    auth_method: str
    client_id: str
    created_at: datetime.datetime
    disabled: bool
    name: str
    scopes: list[Scope]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        agency = self.agency

        auth_method = self.auth_method

        client_id = self.client_id

        created_at = self.created_at.isoformat()

        disabled = self.disabled

        name = self.name

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "agency": agency,
                "auth_method": auth_method,
                "client_id": client_id,
                "created_at": created_at,
                "disabled": disabled,
                "name": name,
                "scopes": scopes,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        agency = d.pop("agency")

        auth_method = d.pop("auth_method")

        client_id = d.pop("client_id")

        created_at = datetime.datetime.fromisoformat(d.pop("created_at"))

        disabled = d.pop("disabled")

        name = d.pop("name")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = Scope(scopes_item_data)

            scopes.append(scopes_item)

        client_view = cls(
            agency=agency,
            auth_method=auth_method,
            client_id=client_id,
            created_at=created_at,
            disabled=disabled,
            name=name,
            scopes=scopes,
        )

        client_view.additional_properties = d
        return client_view

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
