from enum import StrEnum


class OfferState(StrEnum):
    ACCEPTED = "accepted"
    DECLINED = "declined"
    LAPSED = "lapsed"
    OFFERED = "offered"
    RELEASED = "released"
    SKIPPED = "skipped"
    WAITING = "waiting"

    def __str__(self) -> str:
        return str(self.value)
