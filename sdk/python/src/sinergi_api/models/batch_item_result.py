from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast
from uuid import UUID

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.item_result import ItemResult
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.field_error import FieldError


T = TypeVar("T", bound="BatchItemResult")


@_attrs_define
class BatchItemResult:
    """The outcome for one item, at the item's position in the request.

    Example:
        {'errors': [], 'id': '019ac9b2-5f3e-7a10-8c1d-2b9e4f6a7c80', 'index': 0, 'result': 'updated',
            'source_record_id': 'PKH-2026-3201-000123', 'version': 2}

    Attributes:
        errors (list[FieldError]): Why the item was rejected, with pointers into the request (`/items/7/household/kk`).
        index (int): The item's position in `items`, from 0.
        result (ItemResult): What happened to one item of a batch.
        id (None | Unset | UUID): The record's id; absent when rejected.
        source_record_id (None | str | Unset):
        version (int | None | Unset): The record's version after the write; absent when rejected.
    """

    errors: list[FieldError]
    index: int
    result: ItemResult
    id: None | Unset | UUID = UNSET
    source_record_id: None | str | Unset = UNSET
    version: int | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        errors = []
        for errors_item_data in self.errors:
            errors_item = errors_item_data.to_dict()
            errors.append(errors_item)

        index = self.index

        result = self.result.value

        id: None | str | Unset
        if isinstance(self.id, Unset):
            id = UNSET
        elif isinstance(self.id, UUID):
            id = str(self.id)
        else:
            id = self.id

        source_record_id: None | str | Unset
        if isinstance(self.source_record_id, Unset):
            source_record_id = UNSET
        else:
            source_record_id = self.source_record_id

        version: int | None | Unset
        if isinstance(self.version, Unset):
            version = UNSET
        else:
            version = self.version

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "errors": errors,
                "index": index,
                "result": result,
            }
        )
        if id is not UNSET:
            field_dict["id"] = id
        if source_record_id is not UNSET:
            field_dict["source_record_id"] = source_record_id
        if version is not UNSET:
            field_dict["version"] = version

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.field_error import FieldError

        d = dict(src_dict)
        errors = []
        _errors = d.pop("errors")
        for errors_item_data in _errors:
            errors_item = FieldError.from_dict(errors_item_data)

            errors.append(errors_item)

        index = d.pop("index")

        result = ItemResult(d.pop("result"))

        def _parse_id(data: object) -> None | Unset | UUID:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                id_type_0 = UUID(data)

                return id_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | UUID, data)

        id = _parse_id(d.pop("id", UNSET))

        def _parse_source_record_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        source_record_id = _parse_source_record_id(d.pop("source_record_id", UNSET))

        def _parse_version(data: object) -> int | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(int | None | Unset, data)

        version = _parse_version(d.pop("version", UNSET))

        batch_item_result = cls(
            errors=errors,
            index=index,
            result=result,
            id=id,
            source_record_id=source_record_id,
            version=version,
        )

        batch_item_result.additional_properties = d
        return batch_item_result

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
