from enum import StrEnum


class ReferralChangeType(StrEnum):
    REFERRAL = "referral"

    def __str__(self) -> str:
        return str(self.value)
