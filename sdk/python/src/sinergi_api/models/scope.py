from enum import StrEnum


class Scope(StrEnum):
    ADMIN = "admin"
    AGREEMENTSREAD = "agreements:read"
    AGREEMENTSWRITE = "agreements:write"
    AUDITREAD = "audit:read"
    CHANGESREAD = "changes:read"
    ENROLLMENTSREAD = "enrollments:read"
    ENROLLMENTSWRITE = "enrollments:write"
    GRADUATIONSREAD = "graduations:read"
    GRADUATIONSWRITE = "graduations:write"
    HOUSEHOLDSREAD = "households:read"
    HOUSEHOLDSWRITE = "households:write"
    METRICSREAD = "metrics:read"
    REFERRALSREAD = "referrals:read"
    REFERRALSWRITE = "referrals:write"
    STATSREAD = "stats:read"
    SUBSCRIPTIONSWRITE = "subscriptions:write"

    def __str__(self) -> str:
        return str(self.value)
