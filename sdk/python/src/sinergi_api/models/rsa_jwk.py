from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define

from ..models.rsa_jwk_alg_type_0 import RsaJwkAlgType0
from ..models.rsa_jwk_kty import RsaJwkKty
from ..types import UNSET, Unset

T = TypeVar("T", bound="RsaJwk")


@_attrs_define
class RsaJwk:
    """
    Attributes:
        e (str): 1 to 8 bytes, base64url.
        kty (RsaJwkKty):
        n (str): 256 to 1024 bytes, base64url (a length of 4k+1 characters encodes no whole byte).
        alg (None | RsaJwkAlgType0 | Unset):
        kid (None | str | Unset):
        use (None | str | Unset):
    """

    e: str
    kty: RsaJwkKty
    n: str
    alg: None | RsaJwkAlgType0 | Unset = UNSET
    kid: None | str | Unset = UNSET
    use: None | str | Unset = UNSET

    def to_dict(self) -> dict[str, Any]:
        e = self.e

        kty = self.kty.value

        n = self.n

        alg: None | str | Unset
        if isinstance(self.alg, Unset):
            alg = UNSET
        elif isinstance(self.alg, RsaJwkAlgType0):
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
                "e": e,
                "kty": kty,
                "n": n,
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
        e = d.pop("e")

        kty = RsaJwkKty(d.pop("kty"))

        n = d.pop("n")

        def _parse_alg(data: object) -> None | RsaJwkAlgType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                alg_type_0 = RsaJwkAlgType0(data)

                return alg_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | RsaJwkAlgType0 | Unset, data)

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

        rsa_jwk = cls(
            e=e,
            kty=kty,
            n=n,
            alg=alg,
            kid=kid,
            use=use,
        )

        return rsa_jwk
