"""ERR-013: use each log level for its agreed meaning."""
