from enum import StrEnum


class SignalKind(StrEnum):
    GRADUATION_RELAPSE = "graduation.relapse"
    GRADUATION_UNREFERRED = "graduation.unreferred"
    REFERRAL_OVERDUE = "referral.overdue"

    def __str__(self) -> str:
        return str(self.value)
