from enum import StrEnum


class RsaJwkKty(StrEnum):
    RSA = "RSA"

    def __str__(self) -> str:
        return str(self.value)
