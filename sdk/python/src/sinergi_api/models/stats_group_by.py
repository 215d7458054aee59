from enum import StrEnum


class StatsGroupBy(StrEnum):
    AGENCY = "agency"
    MONTH = "month"
    PROGRAM = "program"
    PROVINCE = "province"
    REGENCY = "regency"

    def __str__(self) -> str:
        return str(self.value)
