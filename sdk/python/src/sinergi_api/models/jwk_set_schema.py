from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.ec_jwk import EcJwk
    from ..models.okp_jwk import OkpJwk
    from ..models.rsa_jwk import RsaJwk


T = TypeVar("T", bound="JwkSetSchema")


@_attrs_define
class JwkSetSchema:
    """A JWK Set of public keys (RFC 7517), for the OpenAPI document.

    Example:
        {'keys': [{'crv': 'Ed25519', 'kid': '2026-11', 'kty': 'OKP', 'x':
            '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo'}]}

    Attributes:
        keys (list[EcJwk | OkpJwk | RsaJwk]):
    """

    keys: list[EcJwk | OkpJwk | RsaJwk]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.ec_jwk import EcJwk
        from ..models.okp_jwk import OkpJwk

        keys = []
        for keys_item_data in self.keys:
            keys_item: dict[str, Any]
            if isinstance(keys_item_data, OkpJwk) or isinstance(keys_item_data, EcJwk):
                keys_item = keys_item_data.to_dict()
            else:
                keys_item = keys_item_data.to_dict()

            keys.append(keys_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "keys": keys,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.ec_jwk import EcJwk
        from ..models.okp_jwk import OkpJwk
        from ..models.rsa_jwk import RsaJwk

        d = dict(src_dict)
        keys = []
        _keys = d.pop("keys")
        for keys_item_data in _keys:

            def _parse_keys_item(data: object) -> EcJwk | OkpJwk | RsaJwk:
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_public_jwk_type_0 = OkpJwk.from_dict(data)

                    return componentsschemas_public_jwk_type_0
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                try:
                    if not isinstance(data, dict):
                        raise TypeError()
                    componentsschemas_public_jwk_type_1 = EcJwk.from_dict(data)

                    return componentsschemas_public_jwk_type_1
                except (TypeError, ValueError, AttributeError, KeyError):
                    pass
                if not isinstance(data, dict):
                    raise TypeError()
                componentsschemas_public_jwk_type_2 = RsaJwk.from_dict(data)

                return componentsschemas_public_jwk_type_2

            keys_item = _parse_keys_item(keys_item_data)

            keys.append(keys_item)

        jwk_set_schema = cls(
            keys=keys,
        )

        jwk_set_schema.additional_properties = d
        return jwk_set_schema

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
