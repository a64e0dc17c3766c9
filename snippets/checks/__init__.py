"""Snippets for the Checks page: code that trips a check no rule page shows."""
