from enum import StrEnum


class ChangeType(StrEnum):
    AGREEMENT = "agreement"
    ENROLLMENT = "enrollment"
    FOLLOW_UP = "follow_up"
    GRADUATION = "graduation"
    REFERRAL = "referral"

    def __str__(self) -> str:
        return str(self.value)
