"""ERR-009: keep counters and structured fields; never parse log text."""
