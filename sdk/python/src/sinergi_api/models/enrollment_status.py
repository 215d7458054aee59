from enum import StrEnum


class EnrollmentStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    EXITED = "exited"
    SUSPENDED = "suspended"

    def __str__(self) -> str:
        return str(self.value)
