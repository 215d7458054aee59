from enum import StrEnum


class HouseholdEventSource(StrEnum):
    DUKCAPIL = "dukcapil"
    FIELD_VERIFICATION = "field_verification"

    def __str__(self) -> str:
        return str(self.value)
