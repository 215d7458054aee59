from enum import StrEnum


class FollowUpChangeType(StrEnum):
    FOLLOW_UP = "follow_up"

    def __str__(self) -> str:
        return str(self.value)
