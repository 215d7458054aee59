from enum import StrEnum


class RecordKind(StrEnum):
    ENROLLMENT = "enrollment"
    GRADUATION = "graduation"

    def __str__(self) -> str:
        return str(self.value)
