from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.okp_jwk_alg_type_0 import OkpJwkAlgType0
from ..models.okp_jwk_crv import OkpJwkCrv
from ..models.okp_jwk_kty import OkpJwkKty
from ..types import UNSET, Unset

T = TypeVar("T", bound="OkpJwk")


@_attrs_define
class OkpJwk:
    """
    Attributes:
        crv (OkpJwkCrv):
        kty (OkpJwkKty):
        x (str):
        alg (None | OkpJwkAlgType0 | Unset):
        kid (None | str | Unset):
        use (None | str | Unset):
    """

    crv: OkpJwkCrv
    kty: OkpJwkKty
    x: str
    alg: None | OkpJwkAlgType0 | Unset = UNSET
    kid: None | str | Unset = UNSET
    use: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        crv = self.crv.value

        kty = self.kty.value

        x = self.x

        alg: None | str | Unset
        if isinstance(self.alg, Unset):
            alg = UNSET
        elif isinstance(self.alg, OkpJwkAlgType0):
            alg = self.alg.value
        else:
            alg = self.alg

        kid: None | str | Unset
        if isinstance(self.kid, Unset):
            kid = UNSET
        else:
            kid = self.kid

        use: None | str | Unset
        if isinstance(self.use, Unset):
            use = UNSET
        else:
            use = self.use

        field_dict: dict[str, Any] = {}

        field_dict.update(
            {
                "crv": crv,
                "kty": kty,
                "x": x,
            }
        )
        if alg is not UNSET:
            field_dict["alg"] = alg
        if kid is not UNSET:
            field_dict["kid"] = kid
        if use is not UNSET:
            field_dict["use"] = use

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        crv = OkpJwkCrv(d.pop("crv"))

        kty = OkpJwkKty(d.pop("kty"))

        x = d.pop("x")

        def _parse_alg(data: object) -> None | OkpJwkAlgType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                alg_type_0 = OkpJwkAlgType0(data)

                return alg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OkpJwkAlgType0 | Unset, data)

        alg = _parse_alg(d.pop("alg", UNSET))

        def _parse_kid(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        kid = _parse_kid(d.pop("kid", UNSET))

        def _parse_use(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        use = _parse_use(d.pop("use", UNSET))

        okp_jwk = cls(
            crv=crv,
            kty=kty,
            x=x,
            alg=alg,
            kid=kid,
            use=use,
        )

        return okp_jwk
