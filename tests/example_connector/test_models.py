"""Permissive validation: usable data passes with a warning of its own category."""

from __future__ import annotations

import warnings

import pytest
from pydantic import ValidationError

from snippets.example_connector.data_warnings import (
    MissingRecommendedFieldWarning,
    PermissiveValidationWarning,
    UnexpectedValueWarning,
    UnknownFieldWarning,
)
from snippets.example_connector.models import IOCIdsResponseModel, IOCResponseModel

COMPLETE = {
    "id": "ioc-0001",
    "value": "malicious.example",
    "type": "domain",
    "description": "seen in phishing",
    "created_at": "2026-01-01T00:00:00Z",
}


def test_complete_payload_raises_no_warning() -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        ioc = IOCResponseModel.model_validate(COMPLETE)
    assert record == []
    assert ioc.type == "domain"


def test_unknown_fields_warn_and_are_kept() -> None:
    with pytest.warns(UnknownFieldWarning, match=r"unknown field 'confidence'"):
        ioc = IOCResponseModel.model_validate({**COMPLETE, "confidence": 80})
    assert ioc.model_extra == {"confidence": 80}


def test_value_outside_the_literal_warns_and_is_kept() -> None:
    with pytest.warns(
        UnexpectedValueWarning, match=r"field 'type' has unexpected value 'url'"
    ):
        ioc = IOCResponseModel.model_validate({**COMPLETE, "type": "url"})
    assert ioc.model_dump()["type"] == "url"


def test_missing_recommended_field_warns() -> None:
    payload = {k: v for k, v in COMPLETE.items() if k != "created_at"}
    with pytest.warns(MissingRecommendedFieldWarning, match=r"'created_at' is missing"):
        ioc = IOCResponseModel.model_validate(payload)
    assert ioc.created_at is None


def test_warning_categories_share_one_base() -> None:
    for category in (
        UnknownFieldWarning,
        UnexpectedValueWarning,
        MissingRecommendedFieldWarning,
    ):
        assert issubclass(category, PermissiveValidationWarning)
        assert issubclass(category, UserWarning)


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"id": None}, "id"),
        ({"value": ""}, "value"),
        ({"type": 7}, "type"),
        ({"created_at": 12}, "created_at"),
    ],
)
def test_unusable_payloads_still_fail(change: dict[str, object], location: str) -> None:
    with pytest.raises(ValidationError, match=rf"\n{location}\n"):
        IOCResponseModel.model_validate({**COMPLETE, **change})


def test_ids_model_rejects_the_wrong_shape() -> None:
    with pytest.raises(
        ValidationError, match=r"ids\.1\n  String should have at least 1"
    ):
        IOCIdsResponseModel.model_validate({"ids": ["ioc-1", ""]})
    with pytest.raises(ValidationError, match=r"ids\n  Field required"):
        IOCIdsResponseModel.model_validate({"iocs": []})
