from enum import StrEnum


class RegionLevel(StrEnum):
    DISTRICT = "district"
    PROVINCE = "province"
    REGENCY = "regency"
    VILLAGE = "village"

    def __str__(self) -> str:
        return str(self.value)
