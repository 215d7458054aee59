from enum import StrEnum


class ReferralStatus(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    ENROLLED = "enrolled"
    LAPSED = "lapsed"
    OFFERED = "offered"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
