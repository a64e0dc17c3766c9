"""Fuzzing what the source sends: valid, near-valid and hostile payloads through the client's
parsing, the models and the converter.

Whatever the bytes, each step either succeeds or raises the connector's own error for it:
``DataRetrievalError`` for an answer that can't be used, ``UseCaseError`` for an IOC that can't
be converted. Anything else would escape the per-IOC skip and stop the whole run. The only
warnings allowed are ``PermissiveValidationWarning``s, which the run loop logs per IOC.

The examples are fixed in CI (see ``conftest.py``); ``nox -s fuzz`` runs many more.
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from hypothesis import example, given
from hypothesis import strategies as st

from snippets.example_connector.bounds import quoted
from snippets.example_connector.client_api import ClientAPI
from snippets.example_connector.converter import ConverterToStix
from snippets.example_connector.data_warnings import PermissiveValidationWarning
from snippets.example_connector.errors import (
    ConnectorError,
    DataRetrievalError,
    UseCaseError,
)
from snippets.example_connector.http_transport import Body
from snippets.example_connector.models import IOCIdsResponseModel, IOCResponseModel

CONVERTER = ConverterToStix("Example IOC source")
PDF = b"%PDF-1.4 fuzz"

# region strategies
_LABEL = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
DOMAINS = st.builds(
    lambda labels, tld: ".".join([*labels, tld]),
    st.lists(_LABEL, min_size=1, max_size=3),
    st.from_regex(r"[a-z]{2,6}", fullmatch=True),
)
IPS = st.ip_addresses().map(str)
HASHES = st.sampled_from([16, 20, 32]).flatmap(
    lambda size: st.binary(min_size=size, max_size=size).map(bytes.hex)
)
VALUES_BY_TYPE = {"domain": DOMAINS, "ip": IPS, "hash": HASHES}

# Text that breaks naive code: quotes and backslashes (STIX patterns), control characters,
# lone surrogates, right-to-left marks, NUL, and very long strings.
HOSTILE_TEXT = st.one_of(
    st.text(),
    st.text(alphabet=st.sampled_from("'\"\\\n\r\t\x00\u202e\ufeff%[]=:")),
    st.sampled_from(["", " ", "'", "\\", "' OR 1=1 --", "\n", "a" * 100_000]),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=1),
)
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**30, max_value=10**40),
    st.floats(allow_nan=False, allow_infinity=False),
    HOSTILE_TEXT,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.dictionaries(st.text(max_size=8), children, max_size=4),
    ),
    max_leaves=12,
)
# Keys a careless model would trip on: pydantic's own attribute names, dunders, the empty key.
HOSTILE_KEYS = st.one_of(
    st.text(max_size=12),
    st.sampled_from(
        ["__class__", "__dict__", "model_config", "model_extra", "_private", "", "id "]
    ),
)


@st.composite
def valid_iocs(draw: st.DrawFn) -> dict[str, Any]:
    ioc_type = draw(st.sampled_from(sorted(VALUES_BY_TYPE)))
    return {
        "id": draw(st.from_regex(r"ioc-[0-9]{4}", fullmatch=True)),
        "value": draw(VALUES_BY_TYPE[ioc_type]),
        "type": ioc_type,
        "description": draw(st.none() | st.text(max_size=40)),
        "created_at": "2026-01-01T00:00:00Z",
    }


@st.composite
def near_valid_iocs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid IOC with one or more fields dropped, retyped, or added."""
    ioc = draw(valid_iocs())
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        key = draw(st.sampled_from([*ioc, "type", "value"]) | HOSTILE_KEYS)
        change = draw(st.sampled_from(["drop", "retype", "set"]))
        if change == "drop":
            ioc.pop(key, None)
        elif change == "retype":
            ioc[key] = draw(JSON_VALUES)
        else:
            ioc[key] = draw(HOSTILE_TEXT)
    return ioc


def _encoded(document: object) -> bytes:
    return json.dumps(document).encode()


# Bytes that are not JSON, or JSON a parser may choke on.
HOSTILE_BODIES = st.one_of(
    st.binary(max_size=200),
    st.integers(min_value=1, max_value=5_000).map(lambda depth: b"[" * depth),
    st.integers(min_value=1, max_value=5_000).map(
        lambda depth: b'{"a":' * depth + b"1" + b"}" * depth
    ),
    st.sampled_from(
        [
            b"",
            b"null",
            b"NaN",
            b'{"id": NaN}',
            b'{"id": Infinity, "value": -Infinity}',
            b"\xef\xbb\xbf{}",  # a byte-order mark before the JSON
            b'{"id": "ioc-1", "id": "ioc-2", "value": "x.example", "type": "domain"}',
            b'{"id": "\\ud800", "value": "x.example", "type": "domain"}',
            b'{"id": "ioc-1", "value": "\xff\xfe", "type": "domain"}',
            b"<!DOCTYPE html><html><body>Maintenance</body></html>",
        ]
    ),
)
IOC_BODIES = st.one_of(
    valid_iocs().map(_encoded),
    near_valid_iocs().map(_encoded),
    JSON_VALUES.map(_encoded),
    HOSTILE_BODIES,
)
ID_LIST_BODIES = st.one_of(
    st.lists(st.text(), max_size=5).map(lambda ids: _encoded({"ids": ids})),
    st.dictionaries(HOSTILE_KEYS, JSON_VALUES, max_size=3).map(
        lambda extra: _encoded({"ids": ["ioc-0001"], **extra})
    ),
    JSON_VALUES.map(lambda ids: _encoded({"ids": ids})),
    JSON_VALUES.map(_encoded),
    HOSTILE_BODIES,
)
# endregion


def _only_data_warnings(caught: list[warnings.WarningMessage]) -> None:
    others = [
        w for w in caught if not issubclass(w.category, PermissiveValidationWarning)
    ]
    assert others == [], [f"{w.category.__name__}: {w.message}" for w in others]


@given(content=IOC_BODIES, with_pdf=st.booleans())
@example(
    content=_encoded({"id": "i", "value": "fe80::1%a'b", "type": "ip"}), with_pdf=False
)
@example(
    content=_encoded({"id": "i", "value": "a" * 31 + "\n", "type": "hash"}),
    with_pdf=False,
)
@example(
    content=_encoded({"id": "i", "value": "x.example\n", "type": "domain"}),
    with_pdf=True,
)
@example(content=_encoded({"id": "\f", "value": " ", "type": ""}), with_pdf=False)
def test_an_ioc_answer_is_converted_or_refused_with_the_connectors_errors(
    content: bytes, with_pdf: bool
) -> None:
    body = Body(200, content, "application/json")
    refusal: ConnectorError | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            ioc = ClientAPI._parse(IOCResponseModel, body, "IOC fuzz")
            objects = CONVERTER.convert_ioc(ioc, PDF if with_pdf else None)
        except (DataRetrievalError, UseCaseError) as err:
            refusal = err
    _only_data_warnings(caught)
    if isinstance(refusal, DataRetrievalError):
        assert str(refusal).startswith(
            "the source sent an invalid answer for IOC fuzz: "
        )
        assert refusal.retryable is False
        return
    if refusal is not None:
        # The id is quoted as every value of the source is in a message: bounded, and a
        # control character escaped.
        assert str(refusal).startswith(f"IOC {quoted(ioc.id)} ")
        return
    indicator, observable, based_on = objects
    assert indicator.name == ioc.value
    assert based_on.source_ref == indicator.id
    assert based_on.target_ref == observable.id
    # What reaches OpenCTI is a JSON bundle: every object must serialize.
    for stix_object in objects:
        json.loads(stix_object.serialize())


@given(content=ID_LIST_BODIES)
def test_an_id_list_answer_is_read_or_refused_with_a_data_retrieval_error(
    content: bytes,
) -> None:
    body = Body(200, content, "application/json")
    refusal: DataRetrievalError | None = None
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            answer = ClientAPI._parse(IOCIdsResponseModel, body, "the ids")
        except DataRetrievalError as err:
            refusal = err
    # The id list model is strict: no warning is ever expected from it.
    assert caught == []
    if refusal is not None:
        assert str(refusal).startswith(
            "the source sent an invalid answer for the ids: "
        )
        assert refusal.retryable is False
        return
    assert all(isinstance(ioc_id, str) and ioc_id for ioc_id in answer.ids)


@given(document=valid_iocs())
def test_a_valid_ioc_is_always_ingested(document: dict[str, Any]) -> None:
    """The generators above do make valid IOCs: a fuzz test that only ever saw refusals
    would prove nothing."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        ioc = ClientAPI._parse(
            IOCResponseModel, Body(200, _encoded(document), "application/json"), "IOC"
        )
        indicator, _, _ = CONVERTER.convert_ioc(ioc)
    assert caught == []
    assert indicator.name == document["value"]
