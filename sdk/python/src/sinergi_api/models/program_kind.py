from enum import StrEnum


class ProgramKind(StrEnum):
    EMPOWERMENT = "empowerment"
    SOCIAL_ASSISTANCE = "social_assistance"

    def __str__(self) -> str:
        return str(self.value)
