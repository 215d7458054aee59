from enum import StrEnum


class ReferralTarget(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ENROLLED = "enrolled"
    LAPSED = "lapsed"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
