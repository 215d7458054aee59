from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.scope import Scope
from ..types import UNSET, Unset

T = TypeVar("T", bound="ClientWithSecret")


@_attrs_define
class ClientWithSecret:
    """A client just created, or whose secret was just replaced: the secret is shown this once.

    Attributes:
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        auth_method (str): `client_secret` or `private_key_jwt`.
        client_id (str):
        created_at (datetime.datetime):
        disabled (bool):
        name (str):
        scopes (list[Scope]):
        client_secret (None | str | Unset): Present for secret-based clients; shown only in this response, never again.
    """

    agency: str
    auth_method: str
    client_id: str
    created_at: datetime.datetime
    disabled: bool
    name: str
    scopes: list[Scope]
    client_secret: None | str | Unset = UNSET
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

        client_secret: None | str | Unset
        if isinstance(self.client_secret, Unset):
            client_secret = UNSET
        else:
            client_secret = self.client_secret

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
        if client_secret is not UNSET:
            field_dict["client_secret"] = client_secret

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

        def _parse_client_secret(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        client_secret = _parse_client_secret(d.pop("client_secret", UNSET))

        client_with_secret = cls(
            agency=agency,
            auth_method=auth_method,
            client_id=client_id,
            created_at=created_at,
            disabled=disabled,
            name=name,
            scopes=scopes,
            client_secret=client_secret,
        )

        client_with_secret.additional_properties = d
        return client_with_secret

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
