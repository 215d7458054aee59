from enum import StrEnum


class AgreementChangeType(StrEnum):
    AGREEMENT = "agreement"

    def __str__(self) -> str:
        return str(self.value)
