"""Permissive validation of the source's payloads, built on pydantic v2.

The source's documentation is a promise it does not always keep. A strict model would drop a
whole IOC because of one extra field; these helpers accept what is usable and raise a warning
(see ``data_warnings``) for what is not as documented, so nothing is lost silently:

- ``PermissiveBaseModel``: unknown fields are kept and warned about, never an error.
- ``PermissiveLiteral[Literal[...]]``: a value outside the list is kept, with a warning.
- ``Recommended[T]``: a missing value becomes None, with a warning.

What can't be used at all (a missing ``id``, a value of the wrong type) still fails validation.
"""

from __future__ import annotations

import warnings
from typing import Annotated, Any, Literal, TypeVar

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    ValidatorFunctionWrapHandler,
    WrapValidator,
    model_validator,
)

from snippets.example_connector.bounds import quoted
from snippets.example_connector.data_warnings import (
    MissingRecommendedFieldWarning,
    UnexpectedValueWarning,
    UnknownFieldWarning,
)

T = TypeVar("T")


class PermissiveBaseModel(BaseModel):
    """A model that keeps unknown fields and warns about each one."""

    model_config = ConfigDict(extra="allow", frozen=True)  # (1)!

    @model_validator(mode="after")
    def _warn_about_unknown_fields(self) -> PermissiveBaseModel:
        for name in sorted(self.model_extra or {}):
            warnings.warn(
                f"unknown field {quoted(name)!r} in {type(self).__name__}; it is ignored",
                UnknownFieldWarning,
                stacklevel=2,
            )
        return self


def _keep_unexpected_string(
    value: Any, handler: ValidatorFunctionWrapHandler, info: ValidationInfo
) -> Any:
    try:
        return handler(value)
    except ValidationError:
        if not isinstance(value, str):
            raise  # (2)!
    warnings.warn(
        f"field {info.field_name!r} has unexpected value {quoted(value)!r}; "
        "it is kept as is",
        UnexpectedValueWarning,
        stacklevel=2,
    )
    return value


def _warn_if_missing(value: T | None, info: ValidationInfo) -> T | None:
    if value is None:
        warnings.warn(
            f"recommended field {info.field_name!r} is missing",
            MissingRecommendedFieldWarning,
            stacklevel=2,
        )
    return value


# A string the annotation's Literal should hold; another string passes with a warning.
PermissiveLiteral = Annotated[T, WrapValidator(_keep_unexpected_string)]

# Optional in the payload, but its absence is worth a warning (validated even when defaulted).
Recommended = Annotated[
    T | None, Field(validate_default=True), AfterValidator(_warn_if_missing)  # (3)!
]

IOCType = Literal["domain", "ip", "hash"]


class IOCResponseModel(PermissiveBaseModel):
    """One IOC as ``GET /iocs/{id}`` returns it."""

    id: str = Field(min_length=1)  # (4)!
    value: str = Field(min_length=1)
    type: PermissiveLiteral[IOCType]  # (5)!
    description: str | None = None
    created_at: Recommended[str] = None


class IOCIdsResponseModel(BaseModel):
    """The answer of ``GET /iocs``: the ids created in the requested window, oldest first."""

    ids: list[Annotated[str, Field(min_length=1)]]  # (6)!
