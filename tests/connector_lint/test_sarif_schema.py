"""connector-lint's SARIF is valid against the standard's own schema (SARIF 2.1.0), as GitHub
code scanning reads it: with findings, with help links or without, and with a file that
could not be checked."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from .test_cli import SENTINEL_SOURCE, SWALLOW_SOURCE, run_main, write

SCHEMA_FOLDER = Path(__file__).with_name("sarif_schema")
SCHEMA_FILE = SCHEMA_FOLDER / "sarif-2.1.0.json"


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def _errors(validator: Draft202012Validator, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(document)
    ]


def test_the_vendored_schema_is_the_one_recorded() -> None:
    note = (SCHEMA_FOLDER / "VENDORED.txt").read_text(encoding="utf-8")
    recorded = re.search(r"^sha256: (\S+)$", note, re.MULTILINE)
    assert recorded is not None, "VENDORED.txt has no 'sha256:' line"
    assert hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest() == recorded[1]


@pytest.mark.parametrize(
    "options",
    [
        ("--docs-url", "https://rules.example/"),
        (),
    ],
    ids=["with-help-links", "without-help-links"],
)
def test_sarif_with_findings_is_valid(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    validator: Draft202012Validator,
    options: tuple[str, ...],
) -> None:
    write(project, "connector/score.py", SENTINEL_SOURCE)
    write(project, "connector/run.py", SWALLOW_SOURCE)

    code, out, _ = run_main(capsys, "--output-format", "sarif", *options, "connector")

    assert code == 1
    document = json.loads(out)
    assert document["runs"][0]["results"], "the run found nothing to validate"
    assert _errors(validator, document) == []


def test_sarif_with_a_file_not_checked_is_valid(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    validator: Draft202012Validator,
) -> None:
    write(project, "broken.py", "def broken(:\n")

    code, out, _ = run_main(capsys, "--output-format", "sarif", ".")

    assert code == 2
    document = json.loads(out)
    assert document["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert _errors(validator, document) == []


def test_the_schema_refuses_what_sarif_forbids(
    project: Path,
    capsys: pytest.CaptureFixture[str],
    validator: Draft202012Validator,
) -> None:
    """The check can fail: a level SARIF doesn't have and a line 0 are refused."""
    write(project, "connector/score.py", SENTINEL_SOURCE)
    _, out, _ = run_main(capsys, "--output-format", "sarif", "connector")
    document = json.loads(out)
    result = document["runs"][0]["results"][0]
    result["level"] = "fatal"
    result["locations"][0]["physicalLocation"]["region"]["startLine"] = 0

    errors = _errors(validator, document)

    assert any(error.startswith("runs/0/results/0/level: 'fatal'") for error in errors)
    assert any(
        "region/startLine: 0 is less than the minimum of 1" in error for error in errors
    )
