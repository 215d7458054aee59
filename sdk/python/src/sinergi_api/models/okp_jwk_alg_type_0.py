from enum import StrEnum


class OkpJwkAlgType0(StrEnum):
    EDDSA = "EdDSA"

    def __str__(self) -> str:
        return str(self.value)
