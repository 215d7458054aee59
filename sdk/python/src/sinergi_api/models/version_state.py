from enum import StrEnum


class VersionState(StrEnum):
    APPROVED = "approved"
    PROPOSED = "proposed"
    SUPERSEDED = "superseded"

    def __str__(self) -> str:
        return str(self.value)
