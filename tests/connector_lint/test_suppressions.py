"""Inline suppressions: a reason is required, and one that suppresses nothing is reported."""

from __future__ import annotations

from tests.connector_lint.support import findings

SENTINEL_SOURCE = """
def parse_score(raw):
    try:
        return int(raw["score"])
    except ValueError:
        return -1{comment}
"""
SENTINEL = (
    "6:9 OCE003 except handler returns the sentinel -1: raise an exception instead, or "
    "warn if the result is still usable"
)


def with_comment(comment: str) -> str:
    return SENTINEL_SOURCE.format(comment=comment)


def test_a_suppression_with_a_reason_hides_its_finding() -> None:
    assert findings(with_comment("")) == [SENTINEL]
    reason = "  # connector-lint: ignore[OCE003] -1 is the feed's own 'no score' value"
    assert findings(with_comment(reason)) == []


def test_separators_before_the_reason_are_not_a_reason() -> None:
    assert (
        findings(with_comment("  # connector-lint: ignore[OCE003] - legacy API")) == []
    )
    assert findings(with_comment("  # connector-lint:ignore[OCE003] :  ")) == [
        "6:20 OCE900 suppression without a reason: after the ] say why the rule does "
        "not apply here"
    ]


def test_a_suppression_without_a_reason_is_reported_in_place_of_the_finding() -> None:
    assert findings(with_comment("  # connector-lint: ignore[OCE003]")) == [
        "6:20 OCE900 suppression without a reason: after the ] say why the rule does "
        "not apply here"
    ]


def test_a_suppression_that_matches_nothing_is_reported() -> None:
    comment = "  # connector-lint: ignore[OCE003, OCE005] the feed's own value"
    assert findings(with_comment(comment)) == [
        "6:20 OCE901 ignore[OCE005] suppresses nothing on this line: remove it"
    ]
    assert findings("x = 1  # connector-lint: ignore[OCE003] stale\n") == [
        "1:8 OCE901 ignore[OCE003] suppresses nothing on this line: remove it"
    ]


def test_codes_that_are_not_the_checker_s_are_reported() -> None:
    assert findings(with_comment("  # connector-lint: ignore[BLE001] blind")) == [
        SENTINEL,
        "6:20 OCE901 ignore[BLE001] names no connector-lint code (ruff's codes take "
        "# noqa)",
    ]
    assert findings("x = 1  # connector-lint: ignore[] why\n") == [
        "1:8 OCE901 ignore[] names no code"
    ]


def test_a_suppression_applies_to_its_own_line_only() -> None:
    source = """
def parse_score(raw):
    try:  # connector-lint: ignore[OCE003] on the wrong line
        return int(raw["score"])
    except ValueError:
        return -1
"""
    assert findings(source) == [
        "3:11 OCE901 ignore[OCE003] suppresses nothing on this line: remove it",
        SENTINEL,
    ]


def test_text_in_a_string_is_not_a_suppression() -> None:
    # Read as a suppression, it would be reported as suppressing nothing (OCE901).
    assert findings('NOTE = "# connector-lint: ignore[OCE003] in a string"\n') == []
