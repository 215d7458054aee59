from enum import StrEnum


class RsaJwkAlgType0(StrEnum):
    RS256 = "RS256"

    def __str__(self) -> str:
        return str(self.value)
