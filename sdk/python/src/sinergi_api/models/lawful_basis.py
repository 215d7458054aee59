from enum import StrEnum


class LawfulBasis(StrEnum):
    CONSENT = "consent"
    CONTRACT = "contract"
    LEGAL_OBLIGATION = "legal_obligation"
    LEGITIMATE_INTEREST = "legitimate_interest"
    PUBLIC_TASK = "public_task"
    VITAL_INTEREST = "vital_interest"

    def __str__(self) -> str:
        return str(self.value)
