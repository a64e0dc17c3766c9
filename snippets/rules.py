"""The rule registry: the one place where rule IDs, titles and statements are written.

Rule pages, the home page's index and the tests all read this module, so a rule can't be
renamed in one place and not in another. IDs are stable: never renumber or reuse one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Section:
    slug: str
    title: str


BASICS = Section("basics", "Basics")
CONNECTOR = Section("connector", "Connector practices")
SECTIONS = (BASICS, CONNECTOR)


@dataclass(frozen=True)
class Rule:
    id: str
    section: Section
    slug: str
    title: str
    statement: str
    related: tuple[str, ...] = ()

    @property
    def anchor(self) -> str:
        return self.id.lower()

    @property
    def page(self) -> PurePosixPath:
        """The page's path relative to ``docs/``."""
        return PurePosixPath(self.section.slug, f"{self.slug}.md")

    @property
    def snippet_dir(self) -> PurePosixPath:
        """The folder holding the rule's ``bad.py`` and ``good.py``, from the repo root."""
        return PurePosixPath("snippets", self.section.slug, self.slug)


RULES: tuple[Rule, ...] = (
    Rule(
        "ERR-001",
        BASICS,
        "small_try",
        "Keep try blocks small",
        "Wrap only the statement that can raise the error you handle; "
        "everything else goes before the try or into its else.",
        ("ERR-003", "ERR-004"),
    ),
    Rule(
        "ERR-002",
        BASICS,
        "custom_exceptions",
        "Raise your own exceptions, chained with from",
        "Translate low-level errors into exceptions of your own with "
        "raise ... from err, and use from None only to drop a value that must not leak.",
        ("ERR-010", "ERR-011", "ERR-012"),
    ),
    Rule(
        "ERR-003",
        BASICS,
        "specific_first",
        "Catch the most specific exception first",
        "Order except clauses from the narrowest exception class to the widest, "
        "so each error reaches the handler written for it.",
        ("ERR-001", "ERR-014", "ERR-008"),
    ),
    Rule(
        "ERR-004",
        BASICS,
        "log_when_catching",
        "Log what you catch; never fail silently",
        "Every handler that does not re-raise logs what it caught, at the level that "
        "matches what happens next.",
        ("ERR-013", "ERR-007", "ERR-006"),
    ),
    Rule(
        "ERR-005",
        BASICS,
        "test_errors",
        "Unit-test the errors you raise",
        "Each error path gets a test that asserts the exact exception type, its message "
        "and its cause.",
        ("ERR-002", "ERR-011"),
    ),
    Rule(
        "ERR-006",
        BASICS,
        "highest_level",
        "Handle errors at the highest level that can act on them",
        "Lower layers raise; the application layer, which knows what to do next, catches.",
        ("ERR-014", "ERR-012"),
    ),
    Rule(
        "ERR-007",
        BASICS,
        "no_sentinels",
        "Raise instead of returning sentinel values",
        "Signal failure with an exception, not with None, -1 or an empty string; when the "
        "result is usable but doubtful, emit a warning.",
        ("ERR-004", "ERR-002"),
    ),
    Rule(
        "ERR-008",
        BASICS,
        "let_exit_propagate",
        "Let SystemExit and KeyboardInterrupt propagate",
        "Never swallow a shutdown request: clean up in finally, or catch it only to "
        "report the stop, then re-raise it.",
        ("ERR-015", "ERR-014"),
    ),
    Rule(
        "ERR-009",
        CONNECTOR,
        "structured_logs",
        "Don't build messages by interpreting logs",
        "Carry facts in structured fields and counters while you work; never parse "
        "log text to find out what happened.",
        ("ERR-013", "ERR-004", "ERR-012"),
    ),
    Rule(
        "ERR-010",
        CONNECTOR,
        "config_error",
        "Raise ConfigError early",
        "Validate the whole configuration at start-up and raise a ConfigError that names "
        "the setting and how to fix it, without echoing secrets.",
        ("ERR-002", "ERR-006", "ERR-011"),
    ),
    Rule(
        "ERR-011",
        CONNECTOR,
        "data_retrieval_error",
        "Raise DataRetrievalError when the source is at fault",
        "Turn every failure of the data source (HTTP status, timeout, bad payload) into a "
        "DataRetrievalError raised from the original error.",
        ("ERR-002", "ERR-012", "ERR-005"),
    ),
    Rule(
        "ERR-012",
        CONNECTOR,
        "use_case_error",
        "Raise UseCaseError when the connector's own processing fails",
        "Raise a UseCaseError (or a subclass) when the connector can't process an entity, "
        "so the run loop can skip that entity and go on.",
        ("ERR-011", "ERR-006", "ERR-013"),
    ),
    Rule(
        "ERR-013",
        CONNECTOR,
        "log_levels",
        "Use each log level for its agreed meaning",
        "DEBUG for inspection, INFO for milestones and known quirks, WARNING for handled "
        "or skipped errors, ERROR only for the unexpected.",
        ("ERR-004", "ERR-014"),
    ),
    Rule(
        "ERR-014",
        CONNECTOR,
        "top_level_except",
        "Catch Exception only at the top of a run, and alert the platform",
        "The one except Exception belongs at the top of one connector run; it logs at "
        "ERROR with the traceback and reports the error to OpenCTI.",
        ("ERR-006", "ERR-008", "ERR-015"),
    ),
    Rule(
        "ERR-015",
        CONNECTOR,
        "finally_cleanup",
        "Close the work and record state in finally",
        "Close the work, save the state and reset per-run variables in a finally block, "
        "so they happen whatever the run ends with.",
        ("ERR-014", "ERR-008"),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
