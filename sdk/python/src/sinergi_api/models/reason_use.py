from enum import StrEnum


class ReasonUse(StrEnum):
    DECLINE = "decline"
    REFERRAL = "referral"
    RELEASE = "release"
    WITHDRAWAL = "withdrawal"

    def __str__(self) -> str:
        return str(self.value)
