"""The rule registry: the one place where rule IDs, titles and statements are written.

Rule pages, the home page's index, the checker (``connector_lint``) and the tests all read
this module, so a rule can't be renamed in one place and not in another. IDs are stable: never
renumber or reuse one.

Each rule says how it is enforced: the codes that flag a breach of it (ruff's, and
connector-lint's ``OCE`` codes), and what is left to a reviewer. A rule no tool can check
has no codes, and its ``review`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath


@dataclass(frozen=True)
class Section:
    slug: str
    title: str


BASICS = Section("basics", "Basics")
CONNECTOR = Section("connector", "Connector practices")
SECTIONS = (BASICS, CONNECTOR)


@dataclass(frozen=True)
class Reference:
    """A page of the Python, library or standard documentation a rule rests on."""

    title: str
    url: str


@dataclass(frozen=True)
class Rule:
    id: str
    section: Section
    slug: str
    title: str
    statement: str
    related: tuple[str, ...] = ()
    # The yes/no question a reviewer answers for a change, on the checklist page.
    check: str = field(kw_only=True)
    # The codes that flag a breach: ruff's (BLE001...) and connector-lint's (OCE001...).
    enforced_by: tuple[str, ...] = field(default=(), kw_only=True)
    # What no code can check; for a rule with no codes, why none can ("review only").
    review: str = field(default="", kw_only=True)
    # Its "Don't" snippet breaks the part of the rule left to review: none of its codes
    # fires on it (tests/test_enforcement.py checks both ways).
    dont_left_to_review: bool = field(default=False, kw_only=True)
    # The words a reader searches for this rule by; each leads to one rule only.
    keywords: tuple[str, ...] = field(default=(), kw_only=True)
    # The documentation and PEPs the rule rests on, listed at the end of its page.
    references: tuple[Reference, ...] = field(default=(), kw_only=True)

    def __post_init__(self) -> None:
        if not self.enforced_by and not self.review.strip():
            raise ValueError(
                f"{self.id}: give the codes that enforce it, or say why none can"
            )
        if self.dont_left_to_review and not self.review.strip():
            raise ValueError(
                f"{self.id}: its Don't snippet is left to review: say in review what a "
                "reviewer checks"
            )

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
        check="Does each try block wrap only the statement whose error its except clauses handle?",
        enforced_by=("TRY300", "TRY301", "OCE006"),
        review=(
            "Whether each statement left in a try can raise the error its handler was "
            "written for: the checker only counts them."
        ),
        references=(
            Reference(
                "The try statement",
                "https://docs.python.org/3/reference/compound_stmts.html#the-try-statement",
            ),
            Reference(
                "Handling exceptions (tutorial)",
                "https://docs.python.org/3/tutorial/errors.html#handling-exceptions",
            ),
        ),
    ),
    Rule(
        "ERR-002",
        BASICS,
        "custom_exceptions",
        "Raise your own exceptions, chained with from",
        "Translate low-level errors into exceptions of your own with "
        "raise ... from err, and use from None only to drop a value that must not leak.",
        ("ERR-010", "ERR-011", "ERR-012"),
        check="Is each low-level error translated into an exception of our own with raise ... from err, and from None used only to hide a secret?",
        enforced_by=("B904", "TRY002", "TRY201", "N818", "PLW0133"),
        review=(
            "Whether from None drops a value that must not leak, or a cause someone will "
            "need."
        ),
        dont_left_to_review=True,
        keywords=("chaining",),
        references=(
            Reference(
                "PEP 3134: exception chaining and embedded tracebacks",
                "https://peps.python.org/pep-3134/",
            ),
            Reference(
                "PEP 415: suppressing the context with raise ... from None",
                "https://peps.python.org/pep-0415/",
            ),
            Reference(
                "The raise statement",
                "https://docs.python.org/3/reference/simple_stmts.html#the-raise-statement",
            ),
            Reference(
                "Exception context",
                "https://docs.python.org/3/library/exceptions.html#exception-context",
            ),
        ),
    ),
    Rule(
        "ERR-003",
        BASICS,
        "specific_first",
        "Catch the most specific exception first",
        "Order except clauses from the narrowest exception class to the widest, "
        "so each error reaches the handler written for it.",
        ("ERR-001", "ERR-014", "ERR-008"),
        check="Are the except clauses of each try ordered from the narrowest exception class to the widest?",
        enforced_by=("OCE007",),
        review=(
            "The order of classes imported from other modules, whose ancestry the checker "
            "can't see."
        ),
        references=(
            Reference(
                "Exception hierarchy",
                "https://docs.python.org/3/library/exceptions.html#exception-hierarchy",
            ),
            Reference(
                "The try statement",
                "https://docs.python.org/3/reference/compound_stmts.html#the-try-statement",
            ),
        ),
    ),
    Rule(
        "ERR-004",
        BASICS,
        "log_when_catching",
        "Log what you catch; never fail silently",
        "Every handler that does not re-raise logs what it caught, at the level that "
        "matches what happens next.",
        ("ERR-013", "ERR-007", "ERR-006"),
        check="Does every handler that does not re-raise log what it caught, at the level that matches what happens next?",
        enforced_by=("S110", "S112"),
        review=(
            "Whether a handler that does more than pass or continue (returns a fallback, "
            "retries) logs what it caught."
        ),
        keywords=("pass", "silently"),
        references=(
            Reference(
                "Logging HOWTO: when to use logging",
                "https://docs.python.org/3/howto/logging.html#when-to-use-logging",
            ),
            Reference(
                "Logging levels",
                "https://docs.python.org/3/library/logging.html#logging-levels",
            ),
        ),
    ),
    Rule(
        "ERR-005",
        BASICS,
        "test_errors",
        "Unit-test the errors you raise",
        "Each error path gets a test that asserts the exact exception type, its message "
        "and its cause.",
        ("ERR-002", "ERR-011"),
        check="Does each new error path have a test asserting the exact exception type, its message (match=) and its cause?",
        enforced_by=("B017", "PT011", "PT012", "PT017"),
        review=(
            "Whether each error path has a test at all, and whether the test asserts the "
            "cause."
        ),
        keywords=("pytest",),
        references=(
            Reference(
                "pytest: assertions about expected exceptions",
                "https://docs.pytest.org/en/stable/how-to/assert.html#assertions-about-expected-exceptions",
            ),
            Reference(
                "pytest.raises",
                "https://docs.pytest.org/en/stable/reference/reference.html#pytest-raises",
            ),
            Reference(
                "BaseException.__cause__",
                "https://docs.python.org/3/library/exceptions.html#BaseException.__cause__",
            ),
        ),
    ),
    Rule(
        "ERR-006",
        BASICS,
        "highest_level",
        "Handle errors at the highest level that can act on them",
        "Lower layers raise; the application layer, which knows what to do next, catches.",
        ("ERR-014", "ERR-012"),
        check="Do lower layers raise, leaving the catch to the layer that knows what to do next?",
        enforced_by=("TRY203", "OCE008"),
        review=(
            "Which layer can act on an error is a design question: a reviewer judges where "
            "each handler sits."
        ),
        keywords=("layer",),
        references=(
            Reference(
                "Exception chaining (tutorial)",
                "https://docs.python.org/3/tutorial/errors.html#exception-chaining",
            ),
            Reference(
                "PEP 3134: exception chaining and embedded tracebacks",
                "https://peps.python.org/pep-3134/",
            ),
        ),
    ),
    Rule(
        "ERR-007",
        BASICS,
        "no_sentinels",
        "Raise instead of returning sentinel values",
        "Signal failure with an exception, not with None, -1 or an empty string; when the "
        "result is usable but doubtful, emit a warning.",
        ("ERR-004", "ERR-002"),
        check="Does failing code raise instead of returning None, -1 or an empty string, and warn when a result is usable but doubtful?",
        enforced_by=("OCE003",),
        review=(
            "A sentinel kept in a variable and returned later, or an empty list or dict "
            "returned for a failure."
        ),
        keywords=("sentinel", "warnings"),
        references=(
            Reference(
                "warnings: the warnings filter",
                "https://docs.python.org/3/library/warnings.html#the-warnings-filter",
            ),
            Reference(
                "warnings.catch_warnings",
                "https://docs.python.org/3/library/warnings.html#warnings.catch_warnings",
            ),
        ),
    ),
    Rule(
        "ERR-008",
        BASICS,
        "let_exit_propagate",
        "Let SystemExit and KeyboardInterrupt propagate",
        "Never swallow a shutdown request: clean up in finally, or catch it only to "
        "report the stop, then re-raise it.",
        ("ERR-015", "ERR-014"),
        check="Do SystemExit and KeyboardInterrupt propagate: cleanup in finally, or re-raised after reporting the stop?",
        enforced_by=("E722", "OCE004", "OCE010"),
        review=("A handler that re-raises on some paths and returns on others."),
        keywords=("SIGTERM", "SIGINT", "KeyboardInterrupt", "SystemExit"),
        references=(
            Reference(
                "KeyboardInterrupt",
                "https://docs.python.org/3/library/exceptions.html#KeyboardInterrupt",
            ),
            Reference(
                "SystemExit",
                "https://docs.python.org/3/library/exceptions.html#SystemExit",
            ),
            Reference(
                "signal: handlers and exceptions",
                "https://docs.python.org/3/library/signal.html#note-on-signal-handlers-and-exceptions",
            ),
            Reference(
                "PEP 765: no return, break or continue that leaves a finally",
                "https://peps.python.org/pep-0765/",
            ),
        ),
    ),
    Rule(
        "ERR-009",
        CONNECTOR,
        "structured_logs",
        "Don't build messages by interpreting logs",
        "Carry facts in structured fields and counters while you work; never parse "
        "log text to find out what happened.",
        ("ERR-013", "ERR-004", "ERR-012"),
        check="Are outcomes carried in structured fields and counters, with no code that parses log text?",
        enforced_by=("G001", "G002", "G003", "G004"),
        review=(
            "Reading log records back to build a message: no tool tells a log handler that "
            "parses text from one that ships it."
        ),
        keywords=("meta", "counters"),
        references=(
            Reference(
                "Logging cookbook: structured logging",
                "https://docs.python.org/3/howto/logging-cookbook.html#implementing-structured-logging",
            ),
            Reference(
                "Logging HOWTO: when to use logging",
                "https://docs.python.org/3/howto/logging.html#when-to-use-logging",
            ),
        ),
    ),
    Rule(
        "ERR-010",
        CONNECTOR,
        "config_error",
        "Raise ConfigError early",
        "Validate the whole configuration at start-up and raise a ConfigError that names "
        "the setting and how to fix it, without echoing secrets.",
        ("ERR-002", "ERR-006", "ERR-011"),
        check="Is the whole configuration validated at start-up, with a ConfigError that names the setting and its fix and echoes no secret?",
        review=(
            "Where a setting is first read, and whether the error names it and says how "
            "to fix it, depend on the program's flow and wording, which no check can read."
        ),
        keywords=("SecretStr", "pydantic"),
        references=(
            Reference(
                "pydantic-settings",
                "https://docs.pydantic.dev/latest/concepts/pydantic_settings/",
            ),
            Reference(
                "pydantic SecretStr",
                "https://docs.pydantic.dev/latest/api/types/#pydantic.types.SecretStr",
            ),
            Reference(
                "PEP 415: suppressing the context with raise ... from None",
                "https://peps.python.org/pep-0415/",
            ),
        ),
    ),
    Rule(
        "ERR-011",
        CONNECTOR,
        "data_retrieval_error",
        "Raise DataRetrievalError when the source is at fault",
        "Turn every failure of the data source (HTTP status, timeout, bad payload) into a "
        "DataRetrievalError raised from the original error.",
        ("ERR-002", "ERR-012", "ERR-005"),
        check="Does every failure of the data source (HTTP status, timeout, bad payload) become a DataRetrievalError raised from the original error?",
        review=(
            "Which failures are the data source's fault depends on the client "
            "library and on the source, so a reviewer checks that each becomes a "
            "DataRetrievalError."
        ),
        keywords=("timeout", "retryable"),
        references=(
            Reference(
                "requests: exceptions",
                "https://requests.readthedocs.io/en/latest/api/#exceptions",
            ),
            Reference(
                "requests: timeouts",
                "https://requests.readthedocs.io/en/latest/user/advanced/#timeouts",
            ),
            Reference(
                "PEP 3134: exception chaining and embedded tracebacks",
                "https://peps.python.org/pep-3134/",
            ),
        ),
    ),
    Rule(
        "ERR-012",
        CONNECTOR,
        "use_case_error",
        "Raise UseCaseError when the connector's own processing fails",
        "Raise a UseCaseError (or a subclass) when the connector can't process an entity, "
        "so the run loop can skip that entity and go on.",
        ("ERR-011", "ERR-006", "ERR-013"),
        check="Does a failure to process one entity raise a UseCaseError (or a subclass) so that the run skips it and goes on?",
        review=(
            "Whether a failure belongs to the connector's own processing of "
            "one entity is a matter of meaning, not of syntax."
        ),
        keywords=("skip",),
        references=(
            Reference(
                "User-defined exceptions (tutorial)",
                "https://docs.python.org/3/tutorial/errors.html#user-defined-exceptions",
            ),
            Reference(
                "STIX 2.1: patterning",
                "https://docs.oasis-open.org/cti/stix/v2.1/os/stix-v2.1-os.html#_e8slinrhxcc9",
            ),
        ),
    ),
    Rule(
        "ERR-013",
        CONNECTOR,
        "log_levels",
        "Use each log level for its agreed meaning",
        "DEBUG for inspection, INFO for milestones and known quirks, WARNING for handled "
        "or skipped errors, ERROR only for the unexpected.",
        ("ERR-004", "ERR-014"),
        check="Is each log call at its agreed level: DEBUG to inspect, INFO for milestones and quirks, WARNING for handled errors, ERROR only for the unexpected?",
        enforced_by=("G010", "OCE001", "OCE005", "OCE009"),
        review=(
            "DEBUG, INFO or WARNING: whether a message is an inspection detail, a milestone "
            "or documented quirk, or a handled error."
        ),
        keywords=("exc_info", "CONNECTOR_LOG_LEVEL"),
        references=(
            Reference(
                "Logging levels",
                "https://docs.python.org/3/library/logging.html#logging-levels",
            ),
            Reference(
                "Logging HOWTO: when to use logging",
                "https://docs.python.org/3/howto/logging.html#when-to-use-logging",
            ),
        ),
    ),
    Rule(
        "ERR-014",
        CONNECTOR,
        "top_level_except",
        "Catch Exception only at the top of a run, and alert the platform",
        "The one except Exception belongs at the top of one connector run; it logs at "
        "ERROR with the traceback and reports the error to OpenCTI.",
        ("ERR-006", "ERR-008", "ERR-015"),
        check="Is there one except Exception, at the top of the run, logging at ERROR with the traceback and reporting the error to OpenCTI?",
        enforced_by=("BLE001", "LOG004", "LOG014", "G201", "G202"),
        review=(
            "That the one except Exception sits at the top of a run and reports the error "
            "to OpenCTI."
        ),
        keywords=("report_expectation", "excepthook"),
        references=(
            Reference(
                "Exception hierarchy",
                "https://docs.python.org/3/library/exceptions.html#exception-hierarchy",
            ),
            Reference(
                "PEP 654: exception groups and except*",
                "https://peps.python.org/pep-0654/",
            ),
            Reference(
                "sys.excepthook",
                "https://docs.python.org/3/library/sys.html#sys.excepthook",
            ),
        ),
    ),
    Rule(
        "ERR-015",
        CONNECTOR,
        "finally_cleanup",
        "Close the work and record state in finally",
        "Close the work, save the state and reset per-run variables in a finally block, "
        "so they happen whatever the run ends with.",
        ("ERR-014", "ERR-008"),
        check="Are closing the work, saving the state and resetting per-run variables done in a finally block?",
        enforced_by=("B012", "OCE002"),
        review=(
            "That the state and the per-run variables are also recorded and reset in the "
            "finally, not only the work closed."
        ),
        keywords=("work_id", "to_processed", "set_state"),
        references=(
            Reference(
                "The finally clause",
                "https://docs.python.org/3/reference/compound_stmts.html#finally-clause",
            ),
            Reference(
                "PEP 765: no return, break or continue that leaves a finally",
                "https://peps.python.org/pep-0765/",
            ),
        ),
    ),
)

RULES_BY_ID: dict[str, Rule] = {rule.id: rule for rule in RULES}
