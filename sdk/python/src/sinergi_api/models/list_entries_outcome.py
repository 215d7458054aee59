from enum import StrEnum


class ListEntriesOutcome(StrEnum):
    ALLOWED = "allowed"
    DENIED = "denied"
    FAILED = "failed"
    INVALID = "invalid"

    def __str__(self) -> str:
        return str(self.value)
