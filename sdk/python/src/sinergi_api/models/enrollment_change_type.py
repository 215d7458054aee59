from enum import StrEnum


class EnrollmentChangeType(StrEnum):
    ENROLLMENT = "enrollment"

    def __str__(self) -> str:
        return str(self.value)
