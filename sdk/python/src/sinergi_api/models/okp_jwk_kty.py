from enum import StrEnum


class OkpJwkKty(StrEnum):
    OKP = "OKP"

    def __str__(self) -> str:
        return str(self.value)
