from enum import StrEnum


class GraduationType(StrEnum):
    EXIT_DATA_CORRECTION = "exit_data_correction"
    EXIT_NONCOMPLIANCE = "exit_noncompliance"
    NATURAL = "natural"
    SELF_RELIANT = "self_reliant"

    def __str__(self) -> str:
        return str(self.value)
