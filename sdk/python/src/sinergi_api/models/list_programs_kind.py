from enum import StrEnum


class ListProgramsKind(StrEnum):
    EMPOWERMENT = "empowerment"
    SOCIAL_ASSISTANCE = "social_assistance"

    def __str__(self) -> str:
        return str(self.value)
