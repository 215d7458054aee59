from enum import StrEnum


class HouseholdEventKind(StrEnum):
    MEMBER_JOIN = "member_join"
    MEMBER_LEAVE = "member_leave"
    MERGE = "merge"
    RENUMBER = "renumber"
    SPLIT = "split"

    def __str__(self) -> str:
        return str(self.value)
