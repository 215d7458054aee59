from enum import StrEnum


class EcJwkKty(StrEnum):
    EC = "EC"

    def __str__(self) -> str:
        return str(self.value)
