from enum import StrEnum


class StatsTableName(StrEnum):
    CONVERSION = "conversion"
    ENROLLMENTS = "enrollments"
    FOLLOW_UP = "follow-up"
    GRADUATIONS = "graduations"
    REFERRALS = "referrals"

    def __str__(self) -> str:
        return str(self.value)
