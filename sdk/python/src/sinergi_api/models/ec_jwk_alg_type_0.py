from enum import StrEnum


class EcJwkAlgType0(StrEnum):
    ES256 = "ES256"

    def __str__(self) -> str:
        return str(self.value)
