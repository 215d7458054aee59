from enum import StrEnum


class StatsSuppression(StrEnum):
    COMPLEMENTARY = "complementary"
    SMALL = "small"

    def __str__(self) -> str:
        return str(self.value)
