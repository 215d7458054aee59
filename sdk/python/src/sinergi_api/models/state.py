from enum import StrEnum


class State(StrEnum):
    ACTIVE = "active"
    FAILING = "failing"
    NOT_COVERED = "not_covered"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
