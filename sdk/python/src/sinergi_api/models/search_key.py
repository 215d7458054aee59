from enum import StrEnum


class SearchKey(StrEnum):
    KK = "kk"
    NIK = "nik"

    def __str__(self) -> str:
        return str(self.value)
