from enum import StrEnum


class ReferralPriority(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"

    def __str__(self) -> str:
        return str(self.value)
