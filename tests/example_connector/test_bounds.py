"""What the source sends is echoed bounded, and never used as a path."""

from __future__ import annotations

from typing import Any

import pytest

from snippets.example_connector.bounds import (
    MAX_ECHO,
    MAX_ITEMS,
    BoundedLogger,
    bounded,
    bounded_meta,
    file_name,
)


def test_a_long_value_keeps_its_start_and_says_its_length() -> None:
    assert bounded("x" * 500_000) == "x" * MAX_ECHO + "... (500000 characters)"
    assert bounded("ioc-0003") == "ioc-0003"


def test_control_characters_are_shown_escaped_never_interpreted() -> None:
    assert bounded("a\nFAKE RECORD\x1b[31m") == "a\\nFAKE RECORD\\x1b[31m"


def test_meta_is_bounded_all_the_way_down() -> None:
    meta = {"reason": "r" * 1000, "warnings": ["w"] * 100, "count": 3, "ok": None}

    shown = bounded_meta(meta)

    assert len(shown["reason"]) < MAX_ECHO + 30
    assert shown["warnings"] == ["w"] * MAX_ITEMS + [f"... ({100 - MAX_ITEMS} more)"]
    assert (shown["count"], shown["ok"]) == (3, None)


class Recorder:
    def __init__(self) -> None:
        self.records: list[tuple[str, str, Any]] = []

    def debug(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("DEBUG", message, meta))

    def info(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("INFO", message, meta))

    def warning(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("WARNING", message, meta))

    def error(self, message: str, meta: dict[str, Any] | None = None) -> None:
        self.records.append(("ERROR", message, meta))


@pytest.mark.parametrize("level", ["debug", "info", "warning", "error"])
def test_the_bounded_logger_bounds_every_level(level: str) -> None:
    recorder = Recorder()

    getattr(BoundedLogger(recorder), level)("IOC skipped", {"type": "t" * 10_000})

    ((recorded_level, message, meta),) = recorder.records
    assert (recorded_level, message) == (level.upper(), "IOC skipped")
    assert meta == {"type": "t" * MAX_ECHO + "... (10000 characters)"}


@pytest.mark.parametrize(
    ("stem", "name"),
    [
        ("ioc-0003", "ioc-0003.pdf"),
        ("..", "report.pdf"),
        (".", "report.pdf"),
        ("../../etc/passwd", "_.._etc_passwd.pdf"),
        ("a/b\\c\x00d", "a_b_c_d.pdf"),
        ("x" * 10_000, "x" * 100 + ".pdf"),
    ],
)
def test_a_file_name_from_the_source_is_never_a_path(stem: str, name: str) -> None:
    assert file_name(stem, ".pdf") == name
