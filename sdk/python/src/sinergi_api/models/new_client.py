from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.scope import Scope
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.jwk_set_schema import JwkSetSchema


T = TypeVar("T", bound="NewClient")


@_attrs_define
class NewClient:
    """A client to create.

    Example:
        {'agency': 'KEMENSOS', 'name': 'SIKS-NG publisher', 'scopes': ['graduations:write', 'graduations:read']}

    Attributes:
        agency (str): An agency's code, such as `KEMENSOS`. Example: KEMENSOS.
        name (str):
        scopes (list[Scope]): The scopes the client may request; grant the fewest it needs.
        jwks (JwkSetSchema | None | Unset):
    """

    agency: str
    name: str
    scopes: list[Scope]
    jwks: JwkSetSchema | None | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        from ..models.jwk_set_schema import JwkSetSchema

        agency = self.agency

        name = self.name

        scopes = []
        for scopes_item_data in self.scopes:
            scopes_item = scopes_item_data.value
            scopes.append(scopes_item)

        jwks: dict[str, Any] | None | Unset
        if isinstance(self.jwks, Unset):
            jwks = UNSET
        elif isinstance(self.jwks, JwkSetSchema):
            jwks = self.jwks.to_dict()
        else:
            jwks = self.jwks

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "agency": agency,
                "name": name,
                "scopes": scopes,
            }
        )
        if jwks is not UNSET:
            field_dict["jwks"] = jwks

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.jwk_set_schema import JwkSetSchema

        d = dict(src_dict)
        agency = d.pop("agency")

        name = d.pop("name")

        scopes = []
        _scopes = d.pop("scopes")
        for scopes_item_data in _scopes:
            scopes_item = Scope(scopes_item_data)

            scopes.append(scopes_item)

        def _parse_jwks(data: object) -> JwkSetSchema | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                jwks_type_0 = JwkSetSchema.from_dict(data)

                return jwks_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(JwkSetSchema | None | Unset, data)

        jwks = _parse_jwks(d.pop("jwks", UNSET))

        new_client = cls(
            agency=agency,
            name=name,
            scopes=scopes,
            jwks=jwks,
        )

        return new_client
