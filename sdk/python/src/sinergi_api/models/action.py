from enum import StrEnum


class Action(StrEnum):
    ACCEPTED = "accepted"
    AMENDED = "amended"
    APPROVED = "approved"
    CLOSED = "closed"
    CREATED = "created"
    DECLINED = "declined"
    ENROLLED = "enrolled"
    EXPIRED = "expired"
    EXPIRING = "expiring"
    LAPSED = "lapsed"
    OFFERED = "offered"
    OVERDUE = "overdue"
    PROPOSED = "proposed"
    RAISED = "raised"
    RELEASED = "released"
    RESUMED = "resumed"
    RETRACTED = "retracted"
    SUSPENDED = "suspended"
    TERMINATED = "terminated"
    UPDATED = "updated"
    WITHDRAWN = "withdrawn"

    def __str__(self) -> str:
        return str(self.value)
