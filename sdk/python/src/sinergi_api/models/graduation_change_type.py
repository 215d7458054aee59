from enum import StrEnum


class GraduationChangeType(StrEnum):
    GRADUATION = "graduation"

    def __str__(self) -> str:
        return str(self.value)
