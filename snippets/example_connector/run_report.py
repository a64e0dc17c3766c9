"""What one run did, counted as it happens (never rebuilt from the logs, see ERR-009)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from snippets.example_connector.errors import ConnectorError, DataRetrievalError


@dataclass
class RunReport:
    """Counters for one run: every id seen ends up ingested or skipped with a reason."""

    ids_seen: int = 0
    ingested: int = 0
    skipped: Counter[str] = field(default_factory=Counter)  # (1)!
    # Ids skipped for a reason that may go away: the next run must ask for them again.
    retry_later: int = 0
    # The last ids skipped one after another for such a reason: a source that keeps
    # failing is not asked again in this run.
    failures_in_a_row: int = 0

    def skip(self, error: ConnectorError) -> None:  # (2)!
        self.skipped[type(error).__name__] += 1
        if isinstance(error, DataRetrievalError) and error.retryable:  # (3)!
            self.retry_later += 1
            self.failures_in_a_row += 1
        else:
            self.failures_in_a_row = 0

    def fetched(self) -> None:
        """An IOC came back whole: the source works."""
        self.failures_in_a_row = 0

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    @property
    def unaccounted(self) -> int:
        """Ids neither ingested nor skipped: the run was cut short before reaching them."""
        return self.ids_seen - self.ingested - self.skipped_total  # (4)!

    def closing_message(self) -> str:  # (5)!
        parts = [f"{self.ingested} of {self.ids_seen} IOCs ingested"]
        if self.skipped:
            reasons = ", ".join(
                f"{n} {name}" for name, n in sorted(self.skipped.items())
            )
            parts.append(f"{self.skipped_total} skipped ({reasons})")
        if self.unaccounted:
            parts.append(f"{self.unaccounted} not processed")
        return "; ".join(parts)
