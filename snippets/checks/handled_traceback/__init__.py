"""OCE009: a handled error logged with its traceback."""
