"""IOC -> STIX: deterministic ids, every supported type, UseCaseError for the rest."""

from __future__ import annotations

import base64
import warnings

import pytest
from pycti import Indicator

from snippets.example_connector.converter import ConverterToStix
from snippets.example_connector.errors import (
    ConversionError,
    UnsupportedTypeError,
    UseCaseError,
)
from snippets.example_connector.models import IOCResponseModel


def ioc(value: str, kind: str) -> IOCResponseModel:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return IOCResponseModel.model_validate(
            {"id": "ioc-9", "value": value, "type": kind, "created_at": "2026-01-01"}
        )


@pytest.fixture
def converter() -> ConverterToStix:
    return ConverterToStix("Example IOC source")


@pytest.mark.parametrize(
    ("value", "kind", "observable_type", "pattern"),
    [
        (
            "Malicious.Example",
            "domain",
            "domain-name",
            "[domain-name:value = 'malicious.example']",
        ),
        ("192.0.2.10", "ip", "ipv4-addr", "[ipv4-addr:value = '192.0.2.10']"),
        ("2001:db8::10", "ip", "ipv6-addr", "[ipv6-addr:value = '2001:db8::10']"),
        (
            "d41d8cd98f00b204e9800998ecf8427e",
            "hash",
            "file",
            "[file:hashes.'MD5' = 'd41d8cd98f00b204e9800998ecf8427e']",
        ),
        ("A" * 40, "hash", "file", f"[file:hashes.'SHA-1' = '{'a' * 40}']"),
        ("b" * 64, "hash", "file", f"[file:hashes.'SHA-256' = '{'b' * 64}']"),
    ],
)
def test_supported_types(
    converter: ConverterToStix,
    value: str,
    kind: str,
    observable_type: str,
    pattern: str,
) -> None:
    indicator, observable, based_on = converter.convert_ioc(ioc(value, kind))
    assert indicator.pattern == pattern
    assert indicator.id == Indicator.generate_id(pattern)
    assert indicator.created_by_ref == converter.author.id
    assert observable.type == observable_type
    assert (based_on.source_ref, based_on.target_ref) == (indicator.id, observable.id)


def test_ids_are_deterministic(converter: ConverterToStix) -> None:
    first = converter.convert_ioc(ioc("192.0.2.10", "ip"))
    again = ConverterToStix("Example IOC source").convert_ioc(ioc("192.0.2.10", "ip"))
    assert [o.id for o in first] == [o.id for o in again]


def test_pdf_is_attached_to_the_indicator(converter: ConverterToStix) -> None:
    indicator, *_ = converter.convert_ioc(ioc("192.0.2.10", "ip"), b"%PDF-1.4 demo")
    (attached,) = indicator.x_opencti_files
    assert attached["name"] == "ioc-9.pdf"
    assert base64.b64decode(attached["data"]) == b"%PDF-1.4 demo"


def test_unsupported_type(converter: ConverterToStix) -> None:
    with pytest.raises(
        UnsupportedTypeError,
        match=r"IOC ioc-9 has type 'url'; supported: domain, ip, hash",
    ):
        converter.convert_ioc(ioc("http://x.example", "url"))


@pytest.mark.parametrize(
    ("value", "kind", "message"),
    [
        ("evil.example' OR 1=1 --", "domain", "is a domain but its value is not one"),
        ("not_a_domain", "domain", "is a domain but its value is not one"),
        ("192.0.2.300", "ip", "is an ip but its value is not one"),
        ("zz" * 16, "hash", "not an MD5, SHA-1 or SHA-256 hex digest"),
        ("abc", "hash", "not an MD5, SHA-1 or SHA-256 hex digest"),
        # Found by the fuzz tests: "$" matches before a final newline, and a zone index
        # may hold a quote; stix2 then raised its own error, which stopped the whole run.
        ("malicious.example\n", "domain", "is a domain but its value is not one"),
        ("a" * 31 + "\n", "hash", "not an MD5, SHA-1 or SHA-256 hex digest"),
        ("fe80::1%eth0'", "ip", "is an ip with a zone index"),
    ],
)
def test_invalid_values(
    converter: ConverterToStix, value: str, kind: str, message: str
) -> None:
    with pytest.raises(ConversionError, match=message) as info:
        converter.convert_ioc(ioc(value, kind))
    assert isinstance(info.value, UseCaseError)


def test_invalid_ip_keeps_its_cause(converter: ConverterToStix) -> None:
    with pytest.raises(ConversionError) as info:
        converter.convert_ioc(ioc("192.0.2.300", "ip"))
    assert isinstance(info.value.__cause__, ValueError)
